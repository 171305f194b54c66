import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processStartTime } from '../host/process';
import { containerDir, type KitPaths } from '../paths';

/**
 * The exec processes a shim holds in a running container (`kit exec -d`,
 * `kit exec -it`), as Docker keeps them in the container's exec store:
 * `kit inspect` lists them as ExecIDs while they run. One file each, in the
 * container's state dir, so whatever removes the container removes them;
 * the shim deletes its own when it has reaped the process. Never creating
 * the dir: a container removed meanwhile stays removed.
 */
interface ExecEntry {
  id: string;
  command: string[];
  /** The exec'd process (kit-init, then the command), as the host sees it. */
  pid: number;
  /** Its start time in clock ticks since boot: a pid reused after a crash of the shim is not it. */
  started: number;
}

const PREFIX = 'exec-';
const SUFFIX = '.json';

function entryFile(paths: KitPaths, container: string, id: string): string {
  return join(containerDir(paths, container), `${PREFIX}${id}${SUFFIX}`);
}

/** The process runs: list it (quietly nothing if the container is already gone). */
export function recordExec(paths: KitPaths, container: string, entry: Omit<ExecEntry, 'started'>): void {
  const started = processStartTime(entry.pid);
  if (started === undefined) return;
  const file = entryFile(paths, container, entry.id);
  try {
    writeFileSync(file + '.tmp', JSON.stringify({ ...entry, started }));
    renameSync(file + '.tmp', file);
  } catch {
    // the container's state dir is gone: so is the container, and the process with it
  }
}

/** The process was reaped: no longer the container's. */
export function forgetExec(paths: KitPaths, container: string, id: string): void {
  rmSync(entryFile(paths, container, id), { force: true });
}

/** The ids of the exec processes still running in the container (docker inspect's ExecIDs), or null when none, as Docker's. */
export function runningExecs(paths: KitPaths, container: string): string[] | null {
  let names: string[];
  try {
    names = readdirSync(containerDir(paths, container));
  } catch {
    return null;
  }
  const ids = names.filter((n) => n.startsWith(PREFIX) && n.endsWith(SUFFIX)).flatMap((name) => {
    const entry = readEntry(join(containerDir(paths, container), name));
    return entry && processStartTime(entry.pid) === entry.started ? [entry.id] : [];
  });
  return ids.length ? ids : null;
}

function readEntry(file: string): ExecEntry | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ExecEntry;
  } catch {
    return undefined;
  }
}
