import { closeSync, constants, openSync, readlinkSync, readSync, type Stats } from 'node:fs';
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
  const host = resolveInRoot(root, path);
  return host === undefined ? undefined : lstatOrUndefined(host);
}

/**
 * A small text file of an image (/etc/passwd), read from the host without
 * trusting the image: looked up as statInRoot does, in each root in turn
 * (an image's layers, top first), and read only if it is a regular file of
 * at most `maxBytes`, opened with O_NOFOLLOW (no link swapped in between)
 * and O_NONBLOCK (never a FIFO's wait). Undefined when no root has it.
 */
export function readFileInRoots(roots: string[], path: string, maxBytes: number): string | undefined {
  for (const root of roots) {
    const host = resolveInRoot(root, path);
    const stats = host === undefined ? undefined : lstatOrUndefined(host);
    if (!stats) continue;
    if (!stats.isFile() || stats.size > maxBytes) return undefined; // a whiteout, a device, a huge file: not one to read
    const fd = openSync(host!, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const buffer = Buffer.alloc(maxBytes + 1);
      const n = readSync(fd, buffer, 0, buffer.length, 0);
      return n > maxBytes ? undefined : buffer.subarray(0, n).toString('utf8');
    } finally {
      closeSync(fd);
    }
  }
  return undefined;
}

/** The host path `path` names inside `root`, every symlink resolved within it; undefined if a part is missing. */
function resolveInRoot(root: string, path: string): string | undefined {
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
  return join(root, ...resolved);
}
