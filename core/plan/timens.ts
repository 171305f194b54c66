import { CLONE } from '../linux';
import type { ContainerSpec } from '../spec';
import type { PlanPart } from './plan';

/**
 * A time namespace (Linux 5.6): its own offsets for CLOCK_MONOTONIC and
 * CLOCK_BOOTTIME (uptime), so a container moved to another host keeps its
 * clocks. unshare(CLONE_NEWTIME) does not move kit-init itself: it makes the
 * namespace its children (and its next execve) will enter. Its offsets can
 * be written only before any process is in it, so kit-init writes them
 * right away, in /proc/self/timens_offsets; the command's execve enters it.
 */
export function planTimeNamespace(spec: ContainerSpec): PlanPart {
  if (spec.joinTime) {
    // unlike the others, setns into a time namespace moves the caller itself (it must be single-threaded: kit-init is)
    return { container: [{ op: 'setns', path: spec.joinTime, nstype: CLONE.NEWTIME, why: `join the existing time namespace at ${spec.joinTime} (its path in the config): its clocks' offsets, as they were set when it was made` }] };
  }
  const offsets = spec.timeOffsets;
  if (!offsets) return {};
  const lines = (['monotonic', 'boottime'] as const)
    .filter((clock) => offsets[clock])
    .map((clock) => `${clock} ${offsets[clock]?.secs ?? 0} ${offsets[clock]?.nanosecs ?? 0}`);
  return {
    container: [
      { op: 'unshare', flags: CLONE.NEWTIME, why: 'a time namespace: the command (entering it at execve) gets clocks of its own offsets' },
      ...(lines.length ? [{ op: 'write' as const, path: '/proc/self/timens_offsets', data: lines.join('\n'), why: `its offsets (${lines.join(', ')}), written before any process is in it: the kernel refuses them after` }] : []),
    ],
  };
}
