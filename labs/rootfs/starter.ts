import { CLONE, MNT_DETACH, MS, type PlanPart } from 'kit';

/**
 * Lab rootfs: make given.rootfs the container's "/" with pivot_root, as
 * runc does, so no path leads back to the host's files; then mount /proc,
 * /sys and /dev. Container ops: 'mount' [source, target, fstype, flags,
 * data], 'chdir' [path], 'mkdir' [path, mode], 'pivot_root' [new, old],
 * 'umount2' [path, flags], 'rmdir' [path].
 */
export default function lab(given: { rootfs: string }): PlanPart {
  void CLONE;
  void MNT_DETACH;
  void MS;
  void given;
  return {
    cloneFlags: 0, // TODO: pivot_root needs a mount namespace of its own
    container: [
      // TODO: mounts private; bind the rootfs onto itself; chdir into it
      // TODO: mkdir .oldroot; pivot_root; chdir /
      // TODO: mount proc, sysfs, a tmpfs on /dev
      // TODO: detach /.oldroot and remove it
    ],
  };
}
