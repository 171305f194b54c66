import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { KitError } from '../errors';
import { containerDir, type KitPaths } from '../paths';
import type { ContainerRef } from './names';
import { LogTail, readLogEntries, type LogEntry } from './log-file';
import { logFile } from './log-path';

export type { LogEntry } from './log-file';

export interface LogOptions {
  /** Only the last N lines (docker logs --tail). */
  tail?: number;
  /** Only lines written at or after this time, ms since the epoch (docker logs --since). */
  since?: number;
  /** Only lines written at or before this time (docker logs --until); -f stops once it has passed. */
  until?: number;
}

/** --since and --until as a test of an entry's time. */
function inWindow(options: LogOptions): (entry: LogEntry) => boolean {
  if (options.since === undefined && options.until === undefined) return () => true;
  return (entry) => {
    const t = Date.parse(entry.time);
    return (options.since === undefined || t >= options.since) && (options.until === undefined || t <= options.until);
  };
}

/** A container run with --log-driver none has no log to read: said as Docker says it, not shown as an empty one. */
export function checkLogged(container: ContainerRef): void {
  const spec = container.record?.spec ?? container.running?.spec;
  if (spec?.logDriver === 'none') {
    throw new KitError(`container ${container.name} was run with --log-driver none (configured logging driver does not support reading)`, 'its output was not logged: run it without --log-driver none to keep it for kit logs');
  }
}

/**
 * What a container has written (`kit logs`), in the foreground or detached,
 * kept after it exits until `kit rm`.
 */
export function readLogs(paths: KitPaths, id: string, options: LogOptions = {}): LogEntry[] {
  const entries = readLogEntries(logFile(paths, id)).filter(inWindow(options));
  return options.tail === undefined ? entries : entries.slice(Math.max(0, entries.length - options.tail));
}

/**
 * `kit logs -f`: what the container has written, then what it writes next,
 * until it is no longer running (at once for one that has exited).
 */
export async function followLogs(paths: KitPaths, id: string, onEntry: (entry: LogEntry) => void, options: LogOptions = {}): Promise<void> {
  const file = logFile(paths, id);
  const tail = new LogTail(file);
  try {
    const shown = inWindow(options);
    const first = [...readLogEntries(`${file}.1`), ...tail.next()].filter(shown);
    for (const entry of options.tail === undefined ? first : first.slice(Math.max(0, first.length - options.tail))) onEntry(entry);
    for (;;) {
      const ended = !existsSync(containerDir(paths, id));
      for (const entry of tail.next().filter(shown)) onEntry(entry);
      if (ended || (options.until !== undefined && Date.now() > options.until)) return;
      await sleep(100);
    }
  } finally {
    tail.close();
  }
}
