import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KitPaths } from '../paths';
import type { ContainerSpec } from '../spec';

/**
 * A container that outlives its run, as Docker keeps one until `docker rm`:
 * what it was (its spec), how its last run ended, its logs and its layer,
 * all in one directory of the data root, next to the layer the storage
 * driver keeps there:
 *
 *   <data>/containers/<id>/record.json   ContainerRecord below
 *   <data>/containers/<id>/container.log its output (core/engine/log-file.ts)
 *
 * A container run with --rm (and a plain foreground `kit run`) has none:
 * only its state dir in <state>, removed with its host changes.
 */
export interface ContainerRecord {
  id: string;
  name: string;
  spec: ContainerSpec;
  createdAt: string;
  /** When its last run's command started. */
  startedAt?: string;
  /** How its last run ended; absent while it runs (or before it first ran). */
  exit?: ExitRecord;
  /** Runs started by its --restart policy (Docker's RestartCount). */
  restartCount: number;
  /**
   * Its last start failed before the command ran (its execve: not found, not
   * executable), as Docker keeps it: the exit code (127, 126) and the reason
   * (State.ExitCode and State.Error), until a start succeeds.
   */
  startFailure?: { exitCode: number; error: string };
  /** kit stop / kit rm ended it: its --restart policy must not start it again (Docker's HasBeenManuallyStopped). */
  manuallyStopped?: boolean;
}

export interface ExitRecord {
  exitCode: number;
  /** The signal that ended it, when one did (exitCode is then 128 + its number). */
  signal: string | null;
  /** The kernel's OOM killer killed a process of it (memory.events / memory.oom_control). */
  oomKilled: boolean;
  finishedAt: string;
  /** Why it ended without a status of its own (its owning kit died). */
  error?: string;
}

/** The same directory as the container's layer (storage/containers.ts containerLayerDir). */
export function recordDir(paths: KitPaths, id: string): string {
  return join(paths.data, 'containers', id);
}

/**
 * A kept container whose owning kit died mid-run (kill -9 of its shim or of
 * a foreground kit): PDEATHSIG killed it, and the reaper says so.
 */
export function markOwnerDied(paths: KitPaths, id: string): void {
  updateRecord(paths, id, (r) =>
    r.exit || !r.startedAt
      ? r
      : { ...r, exit: { exitCode: 137, signal: 'SIGKILL', oomKilled: false, finishedAt: new Date().toISOString(), error: 'the kit process that owned it died; the kernel killed it (PDEATHSIG)' } },
  );
}

function recordFile(paths: KitPaths, id: string): string {
  return join(recordDir(paths, id), 'record.json');
}

export function writeRecord(paths: KitPaths, record: ContainerRecord): void {
  mkdirSync(recordDir(paths, record.id), { recursive: true });
  replaceRecord(paths, record);
}

function replaceRecord(paths: KitPaths, record: ContainerRecord): void {
  const file = recordFile(paths, record.id);
  writeFileSync(file + '.tmp', JSON.stringify(record, null, 2));
  renameSync(file + '.tmp', file); // readers never see half a file
}

export function readRecord(paths: KitPaths, id: string): ContainerRecord | undefined {
  try {
    return JSON.parse(readFileSync(recordFile(paths, id), 'utf8')) as ContainerRecord;
  } catch {
    return undefined;
  }
}

/** Every kept container of this kit root, running or not. */
export function listRecords(paths: KitPaths): ContainerRecord[] {
  const dir = join(paths.data, 'containers');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((id) => (id.startsWith('.') ? [] : readRecord(paths, id) ?? []));
}

/** Change a kept container's record (the lifecycle updates one field or two at a time). */
export function updateRecord(paths: KitPaths, id: string, change: (record: ContainerRecord) => ContainerRecord): void {
  const record = readRecord(paths, id);
  if (!record) return;
  try {
    replaceRecord(paths, change(record));
  } catch (err) {
    // kit rm (or kit reset) removed it meanwhile, e.g. while its shim wrote
    // the exit: an update never makes the directory again.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
