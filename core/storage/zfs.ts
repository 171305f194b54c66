import { KitError } from '../errors';
import { hasFilesystem } from '../support';
import type { StorageDriver } from './driver';

/**
 * zfs: like btrfs, copy-on-write at the block level, with a ZFS dataset per
 * layer (a clone of the snapshot of the layer below) and one clone per
 * container. ZFS is not in mainline Linux (its license keeps it out): it
 * needs the zfs module (zfs-dkms) and a pool that Docker's data dir lives
 * on. kit lists it so learners see all of the seed's drivers and why one
 * cannot be used; it makes no zfs containers itself.
 */
export const zfs: StorageDriver = {
  name: 'zfs',
  unsupported: () =>
    hasFilesystem('zfs')
      ? "the zfs module is loaded, but kit does not drive ZFS: it needs a zpool for kit's data dir (Docker's zfs driver does)"
      : 'this kernel has no zfs module (grep zfs /proc/filesystems): ZFS is not part of Linux (apt-get install zfs-dkms, then a zpool)',
  createRootfs(): string {
    throw new KitError('kit does not implement the zfs storage driver', 'use overlay2, btrfs or vfs');
  },
  upperDir: () => undefined,
  rootfsDir: (dir) => dir,
};
