import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, writeSync, constants, existsSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { KitError } from '../errors';
import { O_PATH } from '../linux';
import { native } from '../native';
import type { KitPaths } from '../paths';
import { ImageStore } from '../image/store';
import { lookupContainerLayer, openKeptRootfs } from '../storage/containers';
import { findAnyContainer } from './names';
import { withHostChanges } from './session';

/**
 * `kit cp`, as `docker cp`, both ways, for a running container or a stopped
 * one (its kept layer mounted for the copy, then unmounted). Every path
 * inside it is opened with openat2(RESOLVE_IN_ROOT) from a descriptor of its
 * root (/proc/<pid>/root, or the mounted layer): `..` stops at its "/", an absolute symlink means
 * its own path, so whatever the container holds (or swaps in while kit
 * copies) no open lands on a host file. Regular files and directories are
 * copied; symlinks and special files are named and left out.
 */

const ELOOP = 40;
const CHUNK = 1 << 16;

export interface CopyResult {
  files: number;
  bytes: number;
  /** What was left out: symlinks, devices, FIFOs. */
  skipped: string[];
}

/**
 * `use` with an O_PATH descriptor of the container's root: a running one's
 * as its processes see it (volumes included), a stopped one's layer,
 * mounted for the while (journaled: a kill -9 of kit cp leaves no mount).
 */
async function withContainerRoot<T>(paths: KitPaths, ref: string, use: (root: number) => T): Promise<T> {
  const c = findAnyContainer(paths, ref);
  const open = (path: string) => {
    const root = openSync(path, O_PATH | constants.O_DIRECTORY);
    try {
      return use(root);
    } finally {
      closeSync(root);
    }
  };
  if (c.running) {
    if (!c.running.pid) throw new KitError(`container ${c.name} is still being set up`, 'try again in a moment');
    return open(`/proc/${c.running.pid}/root`);
  }
  if (!lookupContainerLayer(paths, c.id)) throw new KitError(`container ${c.name} has no layer left to copy through`, 'it was made without keeping its layer');
  return withHostChanges(`cp-${c.id}`, (ctx) => {
    const kept = openKeptRootfs(ctx, new ImageStore(paths), c.id);
    try {
      return open(kept.rootfs);
    } finally {
      kept.close();
    }
  }, { paths });
}

function inRoot(root: number, path: string, flags: number, mode = 0): number {
  try {
    return native().openInRoot(root, path, flags, mode);
  } catch (err) {
    const errno = (err as { errno?: number }).errno;
    if (errno === ELOOP) throw new KitError(`${path} in the container is a symlink`, 'kit cp copies regular files and directories; give the path the link points to');
    throw new KitError(`cannot open ${path} in the container: ${(err as Error).message}`, 'check the path (kit exec NAME ls -l DIR)');
  }
}

/** CONTAINER:PATH -> host DEST (a directory receives it under its own name, as docker cp does). */
export function copyFromContainer(paths: KitPaths, ref: string, path: string, dest: string): Promise<CopyResult> {
  return withContainerRoot(paths, ref, (root) => {
    const result: CopyResult = { files: 0, bytes: 0, skipped: [] };
    const from = posix.resolve('/', path);
    const target = existsSync(dest) && lstatSync(dest).isDirectory() ? join(dest, posix.basename(from) || 'root') : dest;
    pullTree(root, from, target, result);
    return result;
  });
}

function pullTree(root: number, from: string, to: string, result: CopyResult): void {
  const todo: Array<[string, string]> = [[from, to]];
  while (todo.length) {
    const [src, dst] = todo.pop()!;
    const fd = inRoot(root, src, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const stats = fstatSync(fd);
      if (stats.isDirectory()) {
        mkdirSync(dst, { recursive: true, mode: stats.mode & 0o7777 });
        // The open directory, by its descriptor: no path is resolved again.
        for (const name of readdirSync(`/proc/self/fd/${fd}`)) {
          const child = posix.join(src, name);
          if (isPlainEntry(root, child)) todo.push([child, join(dst, name)]);
          else result.skipped.push(child);
        }
      } else if (stats.isFile()) {
        const out = openSync(dst, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, stats.mode & 0o777);
        try {
          result.bytes += pump(fd, out);
        } finally {
          closeSync(out);
        }
        result.files++;
      } else {
        result.skipped.push(src);
      }
    } finally {
      closeSync(fd);
    }
  }
}

/** A directory or regular file (not a symlink, device, FIFO or socket), looked at without following or opening it. */
function isPlainEntry(root: number, path: string): boolean {
  const fd = inRootOrUndefined(root, path, O_PATH | constants.O_NOFOLLOW);
  if (fd === undefined) return false;
  try {
    const stats = fstatSync(fd);
    return stats.isDirectory() || stats.isFile();
  } finally {
    closeSync(fd);
  }
}

function inRootOrUndefined(root: number, path: string, flags: number): number | undefined {
  try {
    return native().openInRoot(root, path, flags, 0);
  } catch {
    return undefined;
  }
}

/** Host SRC -> CONTAINER:PATH. An existing directory there receives SRC under its own name. */
export function copyToContainer(paths: KitPaths, src: string, ref: string, path: string): Promise<CopyResult> {
  const stats = lstatOrThrow(src);
  if (!stats.isDirectory() && !stats.isFile()) throw new KitError(`${src} is not a regular file or a directory`, 'kit cp copies files and directories');
  return withContainerRoot(paths, ref, (root) => {
    const result: CopyResult = { files: 0, bytes: 0, skipped: [] };
    let to = posix.resolve('/', path);
    const existing = inRootOrUndefined(root, to, O_PATH);
    if (existing !== undefined) {
      if (fstatSync(existing).isDirectory()) to = posix.join(to, basename(src));
      closeSync(existing);
    }
    pushTree(root, src, to, result);
    return result;
  });
}

function pushTree(root: number, from: string, to: string, result: CopyResult): void {
  const todo: Array<[string, string]> = [[from, to]];
  while (todo.length) {
    const [src, dst] = todo.pop()!;
    const stats = lstatSync(src);
    // The parent, opened inside the root; the last name is made relative to it (through our own fd), never resolved as a path.
    const parent = inRoot(root, posix.dirname(dst), O_PATH | constants.O_DIRECTORY);
    const here = `/proc/self/fd/${parent}/${posix.basename(dst)}`;
    try {
      if (stats.isDirectory()) {
        if (!isDirectory(here)) hostCall(dst, () => mkdirSync(here, stats.mode & 0o7777));
        for (const name of readdirSync(src)) todo.push([join(src, name), posix.join(dst, name)]);
      } else if (stats.isFile()) {
        const input = openSync(src, constants.O_RDONLY | constants.O_NOFOLLOW);
        try {
          const out = hostCall(dst, () => openSync(here, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, stats.mode & 0o777));
          try {
            result.bytes += pump(input, out);
          } finally {
            closeSync(out);
          }
        } finally {
          closeSync(input);
        }
        result.files++;
      } else {
        result.skipped.push(src);
      }
    } finally {
      closeSync(parent);
    }
  }
}

/** A call on a name in the container: a symlink there (ELOOP) or another failure is one line naming the container's path. */
function hostCall<T>(path: string, call: () => T): T {
  try {
    return call();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new KitError(`${path} in the container is a symlink: kit cp does not write through it`, 'give the path the link points to');
    throw new KitError(`cannot write ${path} in the container (${code})`, 'check the path (kit exec NAME ls -l DIR)');
  }
}

function isDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

function lstatOrThrow(path: string) {
  try {
    return lstatSync(path);
  } catch {
    throw new KitError(`no such file on the host: ${path}`, 'give an existing file or directory');
  }
}

function pump(input: number, output: number): number {
  const buffer = Buffer.alloc(CHUNK);
  let total = 0;
  for (;;) {
    const n = readSync(input, buffer, 0, CHUNK, null);
    if (n === 0) return total;
    let written = 0;
    while (written < n) written += writeSync(output, buffer, written, n - written);
    total += n;
  }
}

/** `CONTAINER:PATH` -> [container, path]; a host path (with no colon before its first slash) -> undefined. */
export function containerPath(arg: string): [string, string] | undefined {
  const colon = arg.indexOf(':');
  if (colon <= 0 || arg.slice(0, colon).includes('/')) return undefined;
  return [arg.slice(0, colon), arg.slice(colon + 1) || '/'];
}
