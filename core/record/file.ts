import { arch, release } from 'node:os';
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { detectHost } from '../cgroups/detect';
import { KitError } from '../errors';
import type { HostFacts, RecordingHeader, TimedRecord } from './records';

/**
 * A recording (`--record pid.kitrec`): JSON lines. The first is the header
 * (format version, the kit that wrote it, the host, the chapter's text);
 * then one record per line, each with `t`, milliseconds since the start,
 * in the order they happened. Written as it happens, line by line, so a run
 * that is killed still leaves what it showed.
 */
/** 2: a `progress` record (the base image's first build); format 1 files are read as they were. */
export const RECORDING_VERSION = 2;

/** Recordings past this are not something kit wrote: refused before parsing. */
const MAX_BYTES = 64 << 20;

/** The header of a new recording, with this host's facts. */
export function recordingHeader(fields: Omit<RecordingHeader, 'kitrec' | 'recordedAt' | 'host'>): RecordingHeader {
  return { kitrec: RECORDING_VERSION, recordedAt: new Date().toISOString(), host: hostFacts(), ...fields };
}

export class RecordingWriter {
  private readonly fd: number;

  constructor(
    readonly path: string,
    header: RecordingHeader,
  ) {
    try {
      this.fd = openSync(path, 'w', 0o644);
    } catch (err) {
      throw new KitError(`cannot write the recording ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'give --record a path in a writable directory');
    }
    this.line(header);
  }

  add(record: TimedRecord): void {
    this.line(record);
  }

  close(): void {
    closeSync(this.fd);
  }

  private line(value: unknown): void {
    writeSync(this.fd, JSON.stringify(value) + '\n');
  }
}

export function hostFacts(): HostFacts {
  let cgroup = 'none';
  try {
    cgroup = detectHost().layout;
  } catch {
    // no /sys/fs/cgroup here: the recording says so
  }
  return { kernel: release(), cgroup, arch: arch(), node: process.version };
}

export interface Recording {
  header: RecordingHeader;
  records: TimedRecord[];
}

const RECORD_TYPES = new Set(['probes', 'trace', 'output', 'exit', 'notes', 'progress', 'tree', 'strace', 'end']);

/** Read a recording; a file that is not one, or is from a newer kit, is one KitError naming the file and the line. */
export function readRecording(path: string): Recording {
  const text = readText(path);
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (!lines.length) throw corrupt(path, 1, 'the file is empty');
  const header = parseLine(path, lines[0], 1) as Partial<RecordingHeader>;
  if (typeof header.kitrec !== 'number') throw corrupt(path, 1, 'its first line is not a kit recording header');
  if (header.kitrec > RECORDING_VERSION) {
    throw new KitError(`${path} was recorded by a newer kit (format ${header.kitrec}; this kit reads format ${RECORDING_VERSION} and older)`, `replay it with kit ${header.kit ?? 'newer'} or later`);
  }
  if (header.kind !== 'chapter' && header.kind !== 'run') throw corrupt(path, 1, `unknown kind '${String(header.kind)}'`);
  const records = lines.slice(1).map((line, i) => {
    const record = parseLine(path, line, i + 2) as TimedRecord;
    if (!record || typeof record !== 'object' || !RECORD_TYPES.has(record.type) || typeof record.t !== 'number') {
      throw corrupt(path, i + 2, 'not a record kit writes');
    }
    return record;
  });
  return { header: { command: [], invocation: 'kit', ...header } as RecordingHeader, records };
}

function readText(path: string): string {
  try {
    const stats = statSync(path);
    if (stats.size > MAX_BYTES) throw new KitError(`${path} is not a kit recording: it is larger than ${MAX_BYTES >> 20} MiB`, 'record the run again with --record');
    if (!stats.isFile()) throw new KitError(`${path} is not a regular file`, 'give kit replay a .kitrec file written by --record');
    return readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof KitError) throw err;
    throw new KitError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'give kit replay a .kitrec file written by --record');
  }
}

function parseLine(path: string, line: string, number: number): unknown {
  try {
    return JSON.parse(line);
  } catch (err) {
    throw corrupt(path, number, (err as Error).message);
  }
}

function corrupt(path: string, line: number, why: string): KitError {
  return new KitError(`${path} is not a readable kit recording: line ${line}: ${why}`, 'record the run again with --record');
}
