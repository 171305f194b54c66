import { dirname, join } from 'node:path';
import type { Change } from './changes';
import { copyOne, lstatOrUndefined } from './tree';
import { makeWhiteout, untraced } from './whiteout';


/**
 * Write a layer holding only `changes` of a full copy (vfs): added and
 * changed entries copied (a directory without its unchanged contents),
 * deletions as whiteouts, parent directories made as needed. Changes come
 * sorted, so a directory is made before what is inside it.
 */
export function copyChangesInto(rootfs: string, changes: Change[], layer: string): void {
  for (const change of changes) {
    makeParents(rootfs, layer, dirname(change.path));
    const dest = join(layer, change.path);
    if (change.kind === 'D') makeWhiteout(untraced, dest, 'commit: record the deletion as a whiteout');
    else copyOne(join(rootfs, change.path), dest);
  }
}

function makeParents(rootfs: string, layer: string, dir: string): void {
  if (dir === '/' || lstatOrUndefined(join(layer, dir))) return;
  makeParents(rootfs, layer, dirname(dir));
  copyOne(join(rootfs, dir), join(layer, dir));
}
