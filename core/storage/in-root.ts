import { lstatSync, mkdirSync, readlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KitError } from '../errors';

/**
 * Paths inside a container's root, made from the host before the root
 * switch (mount points an image lacks: a FROM scratch image has no /proc,
 * /dev, /etc). The image is untrusted: a symlink in it is resolved as the
 * container would see it, with the root as "/" (what runc's securejoin
 * does), never followed out to the host's files. What is created lands in the
 * directory the storage driver made writable: the container's own layer
 * (overlay's upper dir, the vfs copy, the btrfs snapshot), never a shared
 * image layer.
 */
const MAX_LINKS = 40;

/** The host path of `path` (absolute, as the container sees it) inside root, every symlink resolved within root; missing directories are created. */
export function mkdirInRoot(root: string, path: string): string {
  return walk(root, path, true);
}

/**
 * A regular file to bind-mount onto at `path` (/etc/hosts...): its parents
 * are made or resolved within root; a symlink in the last place is replaced
 * by an empty file (a bind mount would follow it on the host's side).
 */
export function fileInRoot(root: string, path: string): string {
  const slash = path.lastIndexOf('/');
  const parent = walk(root, path.slice(0, slash) || '/', true);
  const file = join(parent, path.slice(slash + 1));
  const stat = lstatSync(file, { throwIfNoEntry: false });
  if (stat && !stat.isSymbolicLink()) {
    if (stat.isDirectory()) throw new KitError(`the image's ${path} is a directory, where kit mounts a file`, 'remove it from the image');
    return file;
  }
  if (stat) unlinkSync(file);
  writeFileSync(file, '', { flag: 'wx', mode: 0o644 });
  return file;
}

/** A mount point for a filesystem (/proc, /sys, /dev): a real directory, made if missing; a symlink there is refused, as runc refuses it. */
export function mountPointInRoot(root: string, path: string): string {
  const slash = path.lastIndexOf('/');
  const parent = walk(root, path.slice(0, slash) || '/', true);
  const dir = join(parent, path.slice(slash + 1));
  const stat = lstatSync(dir, { throwIfNoEntry: false });
  if (!stat) mkdirSync(dir, 0o755);
  else if (stat.isSymbolicLink()) throw new KitError(`the image's ${path} is a symlink (to ${readlinkSync(dir)}): kit mounts ${path} only on a real directory`, 'rebuild the image without that link');
  else if (!stat.isDirectory()) throw new KitError(`the image's ${path} is not a directory`, 'rebuild the image without that file');
  return dir;
}

function walk(root: string, path: string, create: boolean): string {
  const done: string[] = [];
  const todo = path.split('/');
  let links = 0;
  while (todo.length) {
    const part = todo.shift() as string;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      done.pop(); // at the root, ".." is the root, as in the container
      continue;
    }
    const here = join(root, ...done, part);
    const stat = lstatSync(here, { throwIfNoEntry: false });
    if (stat?.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw new KitError(`the image's ${path} goes through more than ${MAX_LINKS} symlinks`, 'rebuild the image without that link loop');
      const target = readlinkSync(here);
      if (target.startsWith('/')) done.length = 0;
      todo.unshift(...target.split('/'));
      continue;
    }
    if (!stat && create) mkdirSync(here, 0o755);
    else if (stat && !stat.isDirectory()) throw new KitError(`the image's ${path}: /${[...done, part].join('/')} is not a directory`, 'rebuild the image without that file');
    done.push(part);
  }
  return join(root, ...done);
}
