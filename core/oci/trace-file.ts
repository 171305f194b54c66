import { appendFileSync, closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ContainerTrace } from '../engine/container-trace';
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
  /** 'native': the verb was done by kit-runtime's native fast path (native-rs/src/runtime), not by Node. */
  by?: string;
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
    let record: TraceEvent | { verb: string; at: string; by?: string };
    try {
      record = JSON.parse(line);
    } catch {
      continue; // a line cut short by a kill mid-write
    }
    if ('verb' in record) sections.push({ verb: record.verb, at: record.at, ...(record.by ? { by: record.by } : {}), events: [] });
    else (sections[sections.length - 1] ?? (sections[sections.push({ verb: '?', at: '', events: [] }) - 1])).events.push(record);
  }
  return sections.map((s) => (s.verb === 'start' ? { ...s, events: startEvents(s.events) } : s));
}

/** What start's events are: kit-init's own, as exec.fifo carried them. */
const START_WHY: Record<string, string> = {
  open: '`kit-runtime start` opened exec.fifo: this open returns, and the container goes on',
  execve: "replace kit-init with the container's command",
};

/**
 * start writes kit-init's lines as they came through exec.fifo (in Node or
 * in the native fast path): here they get their why, and the execve reported
 * before it was called is settled, as kit run settles it (ContainerTrace).
 */
function startEvents(raw: TraceEvent[]): TraceEvent[] {
  const events: TraceEvent[] = [];
  const inside = new ContainerTrace([], (event) => events.push({ ...event, why: event.why ?? START_WHY[event.syscall] }));
  inside.push(raw.map((e) => JSON.stringify(e) + '\n').join(''));
  inside.end();
  return events;
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
