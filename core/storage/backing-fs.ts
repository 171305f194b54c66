import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';

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
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [left, right] = line.split(' - ');
    if (!right) continue;
    const point = unescape(left.split(' ')[4]);
    const inside = point === '/' || real === point || real.startsWith(point + '/');
    if (inside && (!best || point.length >= best.point.length)) best = { point, type: right.split(' ')[0] };
  }
  return best?.type;
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}
