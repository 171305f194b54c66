import { appendFileSync, closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KitError } from '../errors';
import type { KitPaths } from '../paths';
import type { TraceEvent } from '../trace/event';
import { TraceRecorder } from '../trace/recorder';
import { ensureDir, tracePath } from './state';

/** How many traces are kept under --root (the oldest go first). */
const KEPT_TRACES = 200;

/** One kit-runtime verb's part of a container's trace. */
export interface TraceSection {
  verb: string;
  at: string;
  events: TraceEvent[];
}

/**
 * A container's trace under --root: JSON lines, each verb that changed
 * something (create, start, kill, exec, delete...) opening its section with
 * a `{"verb": ...}` line before its first event. A verb that made no call
 * (state, list) leaves nothing.
 */
export function traceRecorder(paths: KitPaths, id: string, verb: string): TraceRecorder {
  const file = tracePath(paths, id);
  let opened = false;
  return new TraceRecorder((event) => {
    if (!opened) appendFileSync(file, JSON.stringify({ verb, at: new Date().toISOString() }) + '\n');
    opened = true;
    appendFileSync(file, JSON.stringify(event) + '\n');
  });
}

/** `kit runtime trace ID`: the sections, in order. */
export function readTrace(paths: KitPaths, id: string): TraceSection[] {
  const file = tracePath(paths, id);
  if (!existsSync(file)) throw new KitError(`no trace of container "${id}" under ${paths.state}`, 'give the id podman or kit-runtime printed (podman ps -a --no-trunc), and the --root kit-runtime ran with');
  const sections: TraceSection[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let record: TraceEvent | { verb: string; at: string };
    try {
      record = JSON.parse(line);
    } catch {
      continue; // a line cut short by a kill mid-write
    }
    if ('verb' in record) sections.push({ verb: record.verb, at: record.at, events: [] });
    else (sections[sections.length - 1] ?? (sections[sections.push({ verb: '?', at: '', events: [] }) - 1])).events.push(record);
  }
  return sections;
}

/** A fresh trace file for this id; the oldest beyond KEPT_TRACES go. */
export function startTrace(paths: KitPaths, id: string): string {
  const file = tracePath(paths, id);
  ensureDir(dirname(file));
  const old = readdirSync(dirname(file)).map((name) => join(dirname(file), name));
  if (old.length >= KEPT_TRACES) {
    old.sort((a, b) => mtime(a) - mtime(b));
    for (const f of old.slice(0, old.length - KEPT_TRACES + 1)) rmSync(f, { force: true });
  }
  closeSync(openSync(file, 'w', 0o600));
  return file;
}

function mtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
