import { KitError } from '../errors';
import { withHostLock } from '../host/host-lock';
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
  return withHostLock(trace, NET_STATE_DIR, 'network', 'other kit processes may be changing kit0 and the KIT chain right now', fn);
}
