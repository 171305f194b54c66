import { closeSync, constants, fstatSync, openSync, readlinkSync, readSync, type Stats } from 'node:fs';
import { join, posix } from 'node:path';
import { O_PATH } from '../linux';
import { native } from '../native';
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
    return readAtMost(openSync(host!, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK), maxBytes);
  }
  return undefined;
}

/**
 * readFileInRoots for a running container's root (/proc/<pid>/root, for
 * kit exec): its processes may swap any directory on the path for a link
 * while kit looks, so the kernel resolves the whole path in one call,
 * openat2(RESOLVE_IN_ROOT), never leaving that root. The O_PATH descriptor
 * is checked to be a regular file of at most `maxBytes` before the same file
 * is opened for reading through it (no device or FIFO is ever opened).
 */
export function readFileInRunningRoot(root: string, path: string, maxBytes: number): string | undefined {
  const rootFd = openSync(root, O_PATH | constants.O_DIRECTORY);
  let found: number;
  try {
    found = native().openInRoot(rootFd, path, O_PATH, 0);
  } catch {
    return undefined; // missing, or a link loop: the container has no such file
  } finally {
    closeSync(rootFd);
  }
  try {
    const stats = fstatSync(found);
    if (!stats.isFile() || stats.size > maxBytes) return undefined;
    return readAtMost(openSync(`/proc/self/fd/${found}`, constants.O_RDONLY | constants.O_NONBLOCK), maxBytes);
  } finally {
    closeSync(found);
  }
}

/** The text of an open file if it holds at most `maxBytes`; the fd is closed. */
function readAtMost(fd: number, maxBytes: number): string | undefined {
  try {
    const buffer = Buffer.alloc(maxBytes + 1);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return n > maxBytes ? undefined : buffer.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
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
