import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { HostChanges } from '../host/journal';
import { processStartTime } from '../host/process';
import type { TraceRecorder } from '../trace/recorder';

/**
 * One devicemapper pool is shared by every kit process using the same data
 * dir: they activate it, number thin devices in it (devices.json), snapshot
 * and delete them, and the last one out deactivates it. Each of those
 * check-then-change steps runs holding an flock on <pool dir>/lock, so two
 * kits never both activate the pool, give out the same id, or remove the
 * pool under a snapshot being made. The kernel drops the lock of a killed
 * kit. The lock is re-entrant within one process (an undo run while the
 * lock is held takes it again): a second flock on a new fd would wait for
 * ourselves.
 */
const held = new Map<string, number>();

export function withPoolLock<T>(trace: TraceRecorder, poolDir: string, fn: () => T): T {
  const depth = held.get(poolDir);
  if (depth !== undefined) {
    held.set(poolDir, depth + 1);
    try {
      return fn();
    } finally {
      held.set(poolDir, depth);
    }
  }
  mkdirSync(poolDir, { recursive: true, mode: 0o700 });
  const fd = trace.check('devicemapper: take the pool lock (other kit processes may be activating, snapshotting or removing it)', (n) => n.lockFile(join(poolDir, 'lock')));
  held.set(poolDir, 1);
  try {
    return fn();
  } finally {
    held.delete(poolDir);
    trace.host('devicemapper: release the pool lock', (n) => n.close(fd));
  }
}

/**
 * Work on the pool that is not part of a container's run (making a layer's
 * device, kit rm, kit diff) has a journal of its own, in the data dir next to
 * the pool (the pool's metadata outlives a reboot, so must the record of a
 * half-made device): <pool dir>/journals/<pid>-<start time>-<n>.journal.
 * A kit killed mid-way leaves it; the next kit replays it (dm-recover.ts),
 * knowing from the name that its writer is gone.
 */
let opened = 0;
export function poolJournal(trace: TraceRecorder, poolDir: string): HostChanges {
  const dir = journalsDir(poolDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  opened += 1;
  return new HostChanges(join(dir, `${process.pid}-${processStartTime(process.pid) ?? 0}-${opened}.journal`), trace);
}

export const journalsDir = (poolDir: string) => join(poolDir, 'journals');
