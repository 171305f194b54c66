import type { Lab } from '../lab';
import { rootfsGiven, WAIT } from '../common';
import { linkOf } from '../observe';
import { calls, failedCall, show } from '../trace';

const lab: Lab = {
  id: 'chroot',
  order: 40,
  title: 'chroot: a different "/" (and why it is not enough)',
  chapter: 'chroot',
  command: WAIT,
  setup: rootfsGiven,
  observe: (pid) => ({ root: linkOf(`/proc/${pid}/root`), cwd: linkOf(`/proc/${pid}/cwd`) }),
  hints: [
    "chroot changes what \"/\" means for the process: `{ op: 'chroot', path: given.rootfs, why }` (a container step).",
    "chroot does not move the working directory: it stays on the host's tree, outside the new root, and `..` from there walks out (the chroot escape). chdir into the rootfs first and chroot('.'), or chdir('/') right after: `{ op: 'chdir', path: '/', why }`.",
  ],
  checks: [
    {
      name: "the container's root directory (/proc/<pid>/root) is given.rootfs",
      pass: (run) => run.seen.root === run.given.rootfs,
      diagnose: (run) => {
        const failed = failedCall(run.trace, 'chroot');
        if (failed) return `${show(failed)} inside the container`;
        return calls(run.trace, 'chroot').length ? `its root is ${String(run.seen.root)}` : 'no chroot in the trace: its "/" is still the host\'s';
      },
      hint: 0,
    },
    {
      name: 'its working directory is inside that root',
      pass: (run) => typeof run.seen.cwd === 'string' && (run.seen.cwd === run.given.rootfs || run.seen.cwd.startsWith(`${String(run.given.rootfs)}/`)),
      diagnose: (run) => `its working directory is ${String(run.seen.cwd)}, outside the new root: chroot did not move it, and \`..\` from there reaches the host's "/"`,
      hint: 1,
    },
  ],
};

export default lab;
