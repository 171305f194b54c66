import { readlinkSync, type Stats } from 'node:fs';
import { join, posix } from 'node:path';
import { lstatOrUndefined } from '../storage/tree';

/** Linux gives up after 40 links (ELOOP); so does kit. */
const MAX_LINKS = 40;

/**
 * stat() of `path` as a process whose "/" is `root` would see it: symlinks
 * are followed inside the root (an absolute target like /bin/busybox means
 * <root>/bin/busybox, not the host's), and `..` never leaves it. Returns
 * undefined when the path does not resolve.
 */
export function statInRoot(root: string, path: string): Stats | undefined {
  let remaining = posix.normalize(path).split('/').filter(Boolean);
  let resolved: string[] = [];
  let links = 0;
  while (remaining.length) {
    const [part, ...rest] = remaining;
    remaining = rest;
    if (part === '..') {
      resolved = resolved.slice(0, -1);
      continue;
    }
    const host = join(root, ...resolved, part);
    const stats = lstatOrUndefined(host);
    if (!stats) return undefined;
    if (!stats.isSymbolicLink()) {
      resolved.push(part);
      continue;
    }
    if (++links > MAX_LINKS) return undefined;
    const target = readlinkSync(host);
    if (target.startsWith('/')) resolved = [];
    remaining = [...target.split('/').filter((p) => p && p !== '.'), ...remaining];
  }
  return lstatOrUndefined(join(root, ...resolved));
}
