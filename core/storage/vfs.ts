import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { removeAll } from '../host/remove-tree';
import type { HostContext } from '../plan/plan';
import type { StorageDriver } from './driver';
import { copyLayer, type WhiteoutPolicy } from './tree';

/**
 * vfs: no union filesystem at all. The container's root is a full copy of
 * every layer, bottom first. Works on any filesystem; costs time and space
 * that grow with the image, which is what overlay2 avoids.
 * Copying layer by layer means doing by hand what overlayfs does when it
 * merges: a whiteout deletes what the layers below put there, an opaque
 * directory empties it first.
 */
export const vfs: StorageDriver = {
  name: 'vfs',
  unsupported: () => undefined,
  createRootfs(_ctx: HostContext, layers: string[], dir: string): string {
    const rootfs = vfs.rootfsDir(dir);
    if (existsSync(rootfs)) return rootfs; // the container's copy, kept from an earlier start
    mkdirSync(rootfs, { recursive: true });
    for (const layer of layers) copyLayer(layer, rootfs, applyWhiteouts);
    return rootfs;
  },
  upperDir: () => undefined,
  rootfsDir: (dir) => join(dir, 'rootfs'),
};

/** A layer's whiteouts applied to a copy: the name deleted, an opaque directory emptied (vfs, btrfs, devicemapper's layer devices). */
export const applyWhiteouts: WhiteoutPolicy = {
  whiteout: (dest) => removeAll(dest),
  opaque: (dest) => {
    for (const name of readdirSync(dest)) removeAll(join(dest, name));
  },
};
