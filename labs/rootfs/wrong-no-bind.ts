import { CLONE, MS, type PlanPart } from 'kit';

/** Wrong on purpose: pivot_root into a directory that is not a mount point. */
export default function lab(given: { rootfs: string }): PlanPart {
  return {
    cloneFlags: CLONE.NEWNS,
    container: [
      { op: 'mount', source: '', target: '/', fstype: '', flags: MS.REC | MS.PRIVATE, data: '', why: 'private mounts' },
      { op: 'chdir', path: given.rootfs, why: 'stand in the new root' },
      { op: 'mkdir', path: '.oldroot', mode: 0o700, why: 'for the old root' },
      { op: 'pivot_root', newRoot: '.', putOld: '.oldroot', why: 'switch' },
    ],
  };
}
