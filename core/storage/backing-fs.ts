import { existsSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { mountTable } from '../host/mountinfo';

/**
 * The filesystem type a path lives on (`docker info`'s "Backing Filesystem"):
 * the longest mount point in /proc/self/mountinfo that contains it. A path
 * not made yet is judged by its nearest existing parent.
 */
export function backingFilesystem(path: string): string | undefined {
  let existing = path;
  while (!existsSync(existing) && existing !== '/') existing = dirname(existing);
  const real = realpathSync(existing);
  let best: { point: string; type: string } | undefined;
  for (const { mountPoint: point, fstype } of mountTable()) {
    const inside = point === '/' || real === point || real.startsWith(point + '/');
    if (inside && (!best || point.length >= best.point.length)) best = { point, type: fstype };
  }
  return best?.type;
}
