import { MNT_DETACH, MS } from '../linux';
import type { ContainerSpec } from '../spec';
import type { ContainerStep } from './plan';
import { ROOTFS } from './rootfs-path';

/**
 * Make the image the container's "/".
 *
 * pivot_root (what runc does): swap the mount namespace's root for the
 * rootfs and put the old root under it, then detach the old root. Nothing
 * of the host's tree is left in the namespace, so no `..` walk reaches it.
 * pivot_root needs the new root to be a mount point (else EINVAL), hence the
 * bind mount of the rootfs onto itself that comes first (bindSelfStep).
 *
 * chroot: only changes how this process resolves "/". The host's tree is
 * still the namespace's root, one `..` walk away (the chroot chapter).
 */
export function bindSelfStep(): ContainerStep {
  return {
    op: 'mount',
    source: ROOTFS, target: ROOTFS, fstype: '', flags: MS.BIND | MS.REC, data: '',
    why: 'bind the rootfs onto itself: pivot_root needs the new root to be a mount point, and a plain directory is not one',
    hint: 'bind-mounting the rootfs failed: does the storage driver\'s directory exist?',
  };
}

export function rootSwitchSteps(spec: ContainerSpec): ContainerStep[] {
  const enter: ContainerStep = { op: 'chdir', path: ROOTFS, why: 'go into the rootfs: the new root is named "." from here' };
  if (spec.rootSwitch === 'chroot') {
    return [
      enter,
      { op: 'chroot', path: '.', why: 'chroot: "/" now means the rootfs for this process, but the host\'s tree is still the mount namespace\'s root' },
      { op: 'chdir', path: '/', why: 'stand at the new "/"' },
    ];
  }
  return [
    enter,
    { op: 'mkdir', path: '.oldroot', mode: 0o700, why: 'pivot_root puts the old root somewhere under the new one: here' },
    {
      op: 'pivot_root',
      newRoot: '.', putOld: '.oldroot',
      why: "pivot_root: the rootfs becomes the mount namespace's root, the host's old root moves to /.oldroot",
      hint: 'pivot_root needs the new root to be a mount point (the bind mount above) and not on a shared mount (the MS_PRIVATE step)',
    },
    { op: 'chdir', path: '/', why: 'stand at the new "/"' },
    { op: 'umount', target: '/.oldroot', flags: MNT_DETACH, why: "detach the host's whole tree: from here no path, not even a `..` walk, leads to it" },
    { op: 'rmdir', path: '/.oldroot', why: 'remove the now empty mount point' },
  ];
}
