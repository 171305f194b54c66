import type { PlanPart } from 'kit';

export default function lab(given: { rootfs: string }): PlanPart {
  return {
    container: [
      { op: 'chdir', fields: [given.rootfs], why: 'stand in the new root first' },
      { op: 'chroot', fields: ['.'], why: '"/" now means the rootfs, for this process and its children' },
      { op: 'chdir', fields: ['/'], why: 'stand at the new "/"' },
    ],
  };
}
