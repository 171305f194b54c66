import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceRecorder } from '../trace/recorder';

/**
 * Run `fn` holding one of kit's host-wide locks: an flock(2) on `dir`/lock
 * (dir made 0700 if missing). Several kit processes may run at once, and
 * check-then-change sequences on what they share must not interleave. The
 * kernel drops the lock if its holder dies, so a killed kit never blocks
 * the next one. `what` names the lock and `why` says who else may hold it,
 * both for the trace.
 */
export function withHostLock<T>(trace: TraceRecorder, dir: string, what: string, why: string, fn: () => T): T {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const fd = trace.check(`take the host-wide ${what} lock: ${why}`, (n) => n.lockFile(join(dir, 'lock')));
  try {
    return fn();
  } finally {
    trace.host(`release the ${what} lock`, (n) => n.close(fd));
  }
}
