import { CLONE, MNT_DETACH, MS, type PlanPart } from 'kit';

export default function lab(given: { rootfs: string }): PlanPart {
  const SAFE = MS.NOSUID | MS.NODEV | MS.NOEXEC;
  return {
    cloneFlags: CLONE.NEWNS | CLONE.NEWPID,
    container: [
      { op: 'mount', fields: ['', '/', '', MS.REC | MS.PRIVATE, ''], why: 'make every mount private: pivot_root refuses shared ones' },
      { op: 'mount', fields: [given.rootfs, given.rootfs, '', MS.BIND | MS.REC, ''], why: 'bind the rootfs onto itself: pivot_root needs a mount point' },
      { op: 'chdir', fields: [given.rootfs], why: 'stand in the new root' },
      { op: 'mkdir', fields: ['.oldroot', 0o700], why: 'where pivot_root puts the old root' },
      { op: 'pivot_root', fields: ['.', '.oldroot'], why: 'the rootfs becomes "/"; the host\'s tree moves to /.oldroot' },
      { op: 'chdir', fields: ['/'], why: 'stand at the new "/"' },
      { op: 'mount', fields: ['proc', '/proc', 'proc', SAFE, ''], why: 'a procfs of its own PID namespace' },
      { op: 'mount', fields: ['sysfs', '/sys', 'sysfs', SAFE | MS.RDONLY, ''], why: 'a read-only sysfs' },
      { op: 'mount', fields: ['tmpfs', '/dev', 'tmpfs', MS.NOSUID, 'mode=755,size=65536k'], why: "a /dev with none of the host's devices" },
      { op: 'umount2', fields: ['/.oldroot', MNT_DETACH], why: "detach the host's tree: no path leads to it any more" },
      { op: 'rmdir', fields: ['/.oldroot'], why: 'remove the empty mount point' },
    ],
  };
}
