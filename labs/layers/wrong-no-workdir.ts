import type { PlanPart } from 'kit';

/** Wrong on purpose: an upper dir without a work dir. */
export default function lab(given: { lower: string[]; upper: string; work: string; merged: string }): PlanPart {
  return {
    prepare: [
      {
        why: 'overlay',
        run: (ctx) => void ctx.changes.make({ op: 'umount', path: given.merged }, () => ctx.trace.check(undefined, (n) => n.mount('overlay', given.merged, 'overlay', 0, `lowerdir=${given.lower.join(':')},upperdir=${given.upper}`))),
      },
    ],
    container: [
      { op: 'chdir', path: given.merged, why: 'merged' },
      { op: 'chroot', path: '.', why: 'root' },
    ],
  };
}
