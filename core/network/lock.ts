import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { KitError } from '../errors';
import { missing } from '../support';
import type { TraceRecorder } from '../trace/recorder';
import { NET_STATE_DIR } from './config';

/**
 * Run `fn` holding kit's host-wide network lock: an flock(2) on
 * /run/kit-net/lock. Several kit processes may start containers at once;
 * creating kit0 or the KIT chain, taking an address and publishing a port are
 * check-then-change sequences that must not interleave. The kernel drops the
 * lock if its holder dies, so a killed kit never blocks the next one.
 */
export function withNetworkLock<T>(trace: TraceRecorder, fn: () => T): T {
  const notRoot = missing({ root: true });
  if (notRoot) throw new KitError(`changing the host's network ${notRoot}`);
  mkdirSync(NET_STATE_DIR, { recursive: true, mode: 0o700 });
  const fd = trace.check('take the host-wide network lock: other kit processes may be changing kit0 and the KIT chain right now', (n) =>
    n.lockFile(join(NET_STATE_DIR, 'lock')),
  );
  try {
    return fn();
  } finally {
    trace.host('release the network lock', (n) => n.close(fd));
  }
}
