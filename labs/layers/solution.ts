import type { PlanPart } from 'kit';

export default function lab(given: { lower: string[]; upper: string; work: string; merged: string }): PlanPart {
  const options = `lowerdir=${given.lower.join(':')},upperdir=${given.upper},workdir=${given.work}`;
  return {
    prepare: [
      {
        why: "stack the image's layers under a writable upper dir",
        run: (ctx) => void ctx.changes.make({ op: 'umount', path: given.merged }, () => ctx.trace.check(undefined, (n) => n.mount('overlay', given.merged, 'overlay', 0, options))),
      },
    ],
    container: [
      { op: 'chdir', path: given.merged, why: 'stand in the merged view' },
      { op: 'chroot', path: '.', why: 'it becomes "/"' },
      { op: 'chdir', path: '/', why: 'stand at the new "/"' },
    ],
  };
}
