import { CLONE, MS, type PlanPart } from 'kit';

/** Wrong on purpose: pivot_root into a directory that is not a mount point. */
export default function lab(given: { rootfs: string }): PlanPart {
  return {
    cloneFlags: CLONE.NEWNS,
    container: [
      { op: 'mount', fields: ['', '/', '', MS.REC | MS.PRIVATE, ''], why: 'private mounts' },
      { op: 'chdir', fields: [given.rootfs], why: 'stand in the new root' },
      { op: 'mkdir', fields: ['.oldroot', 0o700], why: 'for the old root' },
      { op: 'pivot_root', fields: ['.', '.oldroot'], why: 'switch' },
    ],
  };
}
