import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { HostChanges } from '../host/journal';
import { isAlive } from '../host/process';
import type { KitPaths } from '../paths';
import { TraceRecorder } from '../trace/recorder';
import { journalsDir, withPoolLock } from './dm-lock';
import type { Pool } from './dm-thin';
import './dm-undo'; // the journals replayed here hold devicemapper's records

/**
 * What a killed kit left half done in the pool: a thin device created but
 * not yet in devices.json, a layer's device half written, the pool or a
 * device activated by `kit rm` or `kit diff`. Each such operation journals
 * into <pool dir>/journals/ (dm-lock.ts); a journal whose writer is dead is
 * replayed, newest change first: unmount, deactivate, delete the thin
 * device (activating the pool for it if needed), forget it. Runs with the
 * pool lock held, at every pool operation and at every kit command that
 * reaps orphans (recoverDevicemapper, from core/engine/state.ts).
 */
export function recoverInterrupted(trace: TraceRecorder, poolDir: string): string[] {
  return deadJournals(poolDir).flatMap((file) => (existsSync(file) ? new HostChanges(file, trace).undoAll() : []));
}

/** Journals in the pool's dir whose writer (pid and start time, in the name) is gone. */
function deadJournals(poolDir: string): string[] {
  const dir = journalsDir(poolDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const owner = /^(\d+)-(\d+)-\d+\.journal$/.exec(name);
    return owner && !isAlive({ pid: Number(owner[1]), startTime: Number(owner[2]) }) ? [join(dir, name)] : [];
  });
}

/** Work on the pool holding its lock, after undoing what killed kits left in it. */
export function withPool<T>(trace: TraceRecorder, pool: Pool, fn: () => T): T {
  return withPoolLock(trace, pool.dir, () => {
    recoverInterrupted(trace, pool.dir);
    return fn();
  });
}

/** For any kit command: recover this data dir's pool if a killed kit left a journal in it. */
export function recoverDevicemapper(paths: KitPaths): string[] {
  const poolDir = join(paths.data, 'devicemapper');
  if (deadJournals(poolDir).length === 0) return [];
  const trace = new TraceRecorder();
  return withPoolLock(trace, poolDir, () => recoverInterrupted(trace, poolDir));
}
