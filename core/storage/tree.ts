import { chmodSync, copyFileSync, lchownSync, lutimesSync, lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync, utimesSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { removeAll } from '../host/remove-tree';
import { isOpaque, isWhiteout, untraced } from './whiteout';

/**
 * What to do with a layer's whiteouts while copying it: vfs applies them
 * (delete, hide), commit keeps them (so the new layer records the deletion).
 */
export interface WhiteoutPolicy {
  /** The layer deletes this name. */
  whiteout(dest: string): void;
  /** The layer's directory hides whatever lay below it. */
  opaque(dest: string): void;
}

/** For plain trees (a build context): nothing is a whiteout there. */
export const noWhiteouts: WhiteoutPolicy = { whiteout: () => undefined, opaque: () => undefined };


/**
 * Copy one layer over `dest`, keeping modes, owners and times. A later
 * layer's entry replaces an earlier one of another type (a file over a
 * directory and the reverse). Hard links become separate copies.
 */
export function copyLayer(src: string, dest: string, policy: WhiteoutPolicy): void {
  for (const name of readdirSync(src)) {
    const from = join(src, name);
    const to = join(dest, name);
    const stats = lstatSync(from);
    if (isWhiteout(stats)) {
      policy.whiteout(to);
    } else if (stats.isDirectory()) {
      if (!lstatOrUndefined(to)?.isDirectory()) {
        removeAll(to);
        mkdirSync(to);
      }
      if (isOpaque(from)) policy.opaque(to);
      copyLayer(from, to, policy);
      keepMetadata(to, stats);
    } else {
      removeAll(to);
      copyEntry(from, to, stats);
    }
  }
}

/** One entry (a directory without its contents), metadata kept. */
export function copyOne(from: string, to: string): void {
  const stats = lstatSync(from);
  if (!stats.isDirectory()) return copyEntry(from, to, stats);
  mkdirSync(to);
  keepMetadata(to, stats);
}

function copyEntry(from: string, to: string, stats: Stats): void {
  if (stats.isSymbolicLink()) {
    symlinkSync(readlinkSync(from), to);
    lchownSync(to, stats.uid, stats.gid);
    lutimesSync(to, stats.atimeMs / 1000, stats.mtimeMs / 1000);
    return;
  }
  if (stats.isFile()) {
    copyFileSync(from, to);
    keepMetadata(to, stats);
    return;
  }
  if (stats.isCharacterDevice() || stats.isBlockDevice() || stats.isFIFO()) {
    untraced.check(undefined, (n) => n.mknod(to, stats.mode, major(stats.rdev), minor(stats.rdev)));
    keepMetadata(to, stats);
  }
  // sockets are not content: a layer never needs them
}

/** chown first: it clears set-uid bits that chmod then puts back. */
function keepMetadata(path: string, stats: Stats): void {
  lchownSync(path, stats.uid, stats.gid);
  chmodSync(path, stats.mode & 0o7777);
  utimesSync(path, stats.atimeMs / 1000, stats.mtimeMs / 1000); // seconds, sub-ms kept
}

export function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** The device number split as the kernel's new_encode_dev does. */
function major(rdev: number): number {
  return (rdev >> 8) & 0xfff;
}

function minor(rdev: number): number {
  return (rdev & 0xff) | ((rdev >> 12) & 0xfff00);
}

/**
 * Bytes in the regular files (and links) of a tree, without following a
 * symlink or crossing into what a link names. A loop, not recursion: how deep
 * a tree goes is up to whoever made it.
 */
export function treeSize(root: string): number {
  let total = 0;
  const todo = [root];
  while (todo.length) {
    const dir = todo.pop() as string;
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue; // gone meanwhile, or not ours to read
    }
    for (const name of names) {
      const stats = lstatOrUndefined(join(dir, name));
      if (stats?.isDirectory()) todo.push(join(dir, name));
      else if (stats) total += stats.size;
    }
  }
  return total;
}
