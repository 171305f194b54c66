import { CLONE, MNT_DETACH, MS, type PlanPart } from 'kit';

export default function lab(given: { rootfs: string }): PlanPart {
  const SAFE = MS.NOSUID | MS.NODEV | MS.NOEXEC;
  return {
    cloneFlags: CLONE.NEWNS | CLONE.NEWPID,
    container: [
      { op: 'mount', source: '', target: '/', fstype: '', flags: MS.REC | MS.PRIVATE, data: '', why: 'make every mount private: pivot_root refuses shared ones' },
      { op: 'mount', source: given.rootfs, target: given.rootfs, fstype: '', flags: MS.BIND | MS.REC, data: '', why: 'bind the rootfs onto itself: pivot_root needs a mount point' },
      { op: 'chdir', path: given.rootfs, why: 'stand in the new root' },
      { op: 'mkdir', path: '.oldroot', mode: 0o700, why: 'where pivot_root puts the old root' },
      { op: 'pivot_root', newRoot: '.', putOld: '.oldroot', why: 'the rootfs becomes "/"; the host\'s tree moves to /.oldroot' },
      { op: 'chdir', path: '/', why: 'stand at the new "/"' },
      { op: 'mount', source: 'proc', target: '/proc', fstype: 'proc', flags: SAFE, data: '', why: 'a procfs of its own PID namespace' },
      { op: 'mount', source: 'sysfs', target: '/sys', fstype: 'sysfs', flags: SAFE | MS.RDONLY, data: '', why: 'a read-only sysfs' },
      { op: 'mount', source: 'tmpfs', target: '/dev', fstype: 'tmpfs', flags: MS.NOSUID, data: 'mode=755,size=65536k', why: "a /dev with none of the host's devices" },
      { op: 'umount', target: '/.oldroot', flags: MNT_DETACH, why: "detach the host's tree: no path leads to it any more" },
      { op: 'rmdir', path: '/.oldroot', why: 'remove the empty mount point' },
    ],
  };
}
