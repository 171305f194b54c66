import type { PlanPart } from 'kit';

export default function lab(given: { rootfs: string }): PlanPart {
  return {
    container: [
      { op: 'chdir', path: given.rootfs, why: 'stand in the new root first' },
      { op: 'chroot', path: '.', why: '"/" now means the rootfs, for this process and its children' },
      { op: 'chdir', path: '/', why: 'stand at the new "/"' },
    ],
  };
}
