import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, renameSync, statSync, writeSync } from 'node:fs';

/**
 * A container's log, as Docker's json-file driver keeps it: one JSON object
 * per line of output, `{"time":..., "stream":"stdout"|"stderr", "log":...}`,
 * so `kit logs` can interleave the streams in order, add --timestamps and cut
 * --tail N. Size-capped: past `maxBytes` the file is rotated to `<file>.1`
 * (the one before is dropped), so a chatty container cannot fill the disk.
 */
export type Stream = 'stdout' | 'stderr';

export interface LogEntry {
  time: string;
  stream: Stream;
  /** The line, with its newline (a last line cut by the exit has none). */
  log: string;
}

/** Docker's json-file has no cap by default; kit keeps two files of this size at most. */
export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;

/** A line longer than this is written in pieces (Docker cuts at 16 KiB too). */
const MAX_LINE = 16 * 1024;

export class LogWriter {
  private readonly partial: Record<Stream, string> = { stdout: '', stderr: '' };
  private fd: number;
  private size: number;

  constructor(private readonly file: string, private readonly maxBytes = DEFAULT_LOG_MAX_BYTES) {
    this.fd = openSync(file, 'a');
    this.size = statSync(file).size;
  }

  /**
   * A chunk as the pipe gave it: complete lines are written now, the rest
   * waits for its newline. All the lines of a chunk go out in one write (a
   * container printing many short lines costs one syscall per read, not
   * one per line), stamped with the time the chunk was read.
   */
  write(stream: Stream, chunk: string): void {
    const text = this.partial[stream] + chunk;
    const tail = entryTail(stream, new Date().toISOString());
    let lines = '';
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      const end = nl >= 0 && nl - start < MAX_LINE ? nl + 1 : text.length - start > MAX_LINE ? start + MAX_LINE : -1;
      if (end < 0) break;
      lines += entryLine(text.slice(start, end), tail);
      start = end;
    }
    this.partial[stream] = text.slice(start);
    this.append(lines);
  }

  /** The streams closed: what is left of a line without its newline is written as it is. */
  close(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) this.append(entryLine(this.partial[stream], entryTail(stream, new Date().toISOString())));
      this.partial[stream] = '';
    }
    closeSync(this.fd);
  }

  /**
   * Entry lines in one write, unless they would pass the size cap: then
   * line by line, the file rotated between two lines, never inside one.
   */
  private append(lines: string): void {
    if (!lines) return;
    const bytes = Buffer.byteLength(lines);
    if (this.size + bytes <= this.maxBytes) {
      writeSync(this.fd, lines);
      this.size += bytes;
      return;
    }
    for (const line of lines.split(/(?<=\n)/)) {
      const lineBytes = Buffer.byteLength(line);
      if (this.size > 0 && this.size + lineBytes > this.maxBytes) this.rotate();
      writeSync(this.fd, line);
      this.size += lineBytes;
    }
  }

  private rotate(): void {
    closeSync(this.fd);
    renameSync(this.file, `${this.file}.1`);
    this.fd = openSync(this.file, 'a');
    this.size = 0;
  }
}

/**
 * One entry as a JSON line, in Docker's json-file key order. Built by hand
 * around JSON.stringify of the text (what escapes it) rather than of an
 * object per line: a chatty container's log costs a third as much.
 */
function entryLine(log: string, tail: string): string {
  return `{"log":${JSON.stringify(log)}${tail}`;
}

function entryTail(stream: Stream, time: string): string {
  return `,"stream":"${stream}","time":"${time}"}\n`;
}

/** Every entry kept, oldest first (the rotated file, then the current one). */
export function readLogEntries(file: string): LogEntry[] {
  return [`${file}.1`, file].flatMap((f) => (existsSync(f) ? parseEntries(readFileSync(f, 'utf8')) : []));
}

export function parseEntries(text: string): LogEntry[] {
  return text.split('\n').flatMap((line) => {
    if (!line) return [];
    try {
      return [JSON.parse(line) as LogEntry];
    } catch {
      return []; // a line being written right now
    }
  });
}

/**
 * Reads what is appended to a log file, in whole lines. The file is held
 * open: its last lines are still read after the file is rotated away or
 * removed with a --rm container's state dir; then the new file is opened.
 */
export class LogTail {
  private rest = '';
  private fd: number | undefined;
  private ino = -1;
  private offset = 0;

  constructor(private readonly file: string) {}

  next(): LogEntry[] {
    if (this.fd === undefined && !this.open()) return [];
    const entries = this.drain();
    const current = statOrUndefined(this.file);
    if (current && current.ino !== this.ino) {
      this.close(); // rotated: the old file is read to its end, now the new one
      return this.open() ? [...entries, ...this.drain()] : entries;
    }
    return entries;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private open(): boolean {
    try {
      this.fd = openSync(this.file, 'r');
    } catch {
      return false;
    }
    this.ino = fstatSync(this.fd).ino;
    this.offset = 0;
    this.rest = '';
    return true;
  }

  private drain(): LogEntry[] {
    const buffer = Buffer.alloc(64 * 1024);
    let text = this.rest;
    for (let n = readSync(this.fd!, buffer, 0, buffer.length, this.offset); n > 0; n = readSync(this.fd!, buffer, 0, buffer.length, this.offset)) {
      this.offset += n;
      text += buffer.subarray(0, n).toString('utf8');
    }
    const cut = text.lastIndexOf('\n') + 1;
    this.rest = text.slice(cut);
    return parseEntries(text.slice(0, cut));
  }
}

function statOrUndefined(file: string): { ino: number } | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}
