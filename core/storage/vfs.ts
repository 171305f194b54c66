import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HostContext } from '../plan';
import type { StorageDriver } from './driver';

/**
 * vfs: no union filesystem at all. The container's root is a full copy of
 * every layer, bottom first. Works on any filesystem; costs time and space
 * that grow with the image, which is what overlay2 avoids.
 */
export const vfs: StorageDriver = {
  name: 'vfs',
  unsupported: () => undefined,
  createRootfs(ctx: HostContext, layers: string[], dir: string): string {
    const rootfs = join(dir, 'rootfs');
    ctx.changes.make({ op: 'remove', path: rootfs }, () => mkdirSync(rootfs, { recursive: true }));
    for (const layer of layers) cpSync(layer, rootfs, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    return rootfs;
  },
};
