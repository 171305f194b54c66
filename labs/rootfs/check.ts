import { CLONE, joinParts } from '../../core';
import type { Lab, LabRun } from '../lab';
import { isRoot } from '../rootless';
import { observeNamespaces, ownNamespace, rootfsGiven, rootIsLabRootfs, WAIT } from '../common';
import { mountsOf } from '../observe';
import { calls, failedCall, show } from '../trace';

function fstypeAt(run: LabRun, point: string): string | undefined {
  return (run.seen.mounts as Array<{ mountPoint: string; fstype: string }> | undefined)?.filter((m) => m.mountPoint === point).at(-1)?.fstype;
}

const lab: Lab = {
  id: 'rootfs',
  order: 45,
  title: 'pivot_root: a new root, with /proc, /sys and /dev, and the host\'s tree gone',
  chapter: 'rootfs',
  command: WAIT,
  setup: (id, paths) => {
    const setup = rootfsGiven(id, paths);
    // Without root the kernel lets a user namespace mount sysfs only from a network
    // namespace it owns (sysfs shows the network devices): kit adds one for it.
    return isRoot() ? setup : { ...setup, part: joinParts(setup.part, { cloneFlags: CLONE.NEWNET }) };
  },
  observe: (pid) => ({
    ...observeNamespaces(pid, ['mnt']),
    rootIsRootfs: rootIsLabRootfs(pid),
    mounts: mountsOf(pid).map(({ mountPoint, fstype }) => ({ mountPoint, fstype })),
  }),
  hints: [
    'pivot_root works on mounts: the container needs its own mount namespace (`cloneFlags: CLONE.NEWNS`), with "/" made private (MS_REC|MS_PRIVATE) first.',
    "pivot_root(new, old) needs `new` to be a mount point: bind the rootfs onto itself (`{ op: 'mount', source: given.rootfs, target: given.rootfs, fstype: '', flags: MS.BIND | MS.REC, data: '' }`), chdir into it, mkdir '.oldroot', then `{ op: 'pivot_root', newRoot: '.', putOld: '.oldroot' }` and chdir('/').",
    "The host's whole tree is still there at /.oldroot: `{ op: 'umount', target: '/.oldroot', flags: MNT_DETACH }`, then rmdir it.",
    "Mount the kernel filesystems programs expect: proc on /proc, sysfs on /sys, a tmpfs on /dev.",
  ],
  checks: [
    ownNamespace('mnt', 'CLONE_NEWNS', 0),
    {
      name: 'its "/" is given.rootfs',
      pass: (run) => run.seen.rootIsRootfs === true,
      diagnose: (run) => {
        const pivot = failedCall(run.trace, 'pivot_root');
        const bound = calls(run.trace, 'mount', /MS_BIND/).some((e) => e.errno === null);
        if (pivot && ['EINVAL', 'EBUSY'].includes(pivot.errno ?? '') && !bound) return `${show(pivot)}: the new root is not a mount point (it is still part of the mount the old root is on): bind it onto itself first`;
        if (pivot) return `${show(pivot)} inside the container`;
        return calls(run.trace, 'pivot_root').length ? undefined : 'no pivot_root in the trace: its "/" is still the host\'s';
      },
      hint: 1,
    },
    {
      name: "the host's tree is unreachable: no old root left mounted inside",
      pass: (run) => Array.isArray(run.seen.mounts) && !(run.seen.mounts as Array<{ mountPoint: string }>).some((m) => m.mountPoint.startsWith('/.oldroot')),
      diagnose: () => "/.oldroot is still mounted inside: through it the container reaches every file of the host's",
      hint: 2,
    },
    {
      name: 'proc on /proc, sysfs on /sys, a tmpfs on /dev',
      pass: (run) => fstypeAt(run, '/proc') === 'proc' && fstypeAt(run, '/sys') === 'sysfs' && fstypeAt(run, '/dev') === 'tmpfs',
      diagnose: (run) => `inside: /proc is ${fstypeAt(run, '/proc') ?? 'not a mount'}, /sys is ${fstypeAt(run, '/sys') ?? 'not a mount'}, /dev is ${fstypeAt(run, '/dev') ?? 'not a mount'}`,
      hint: 3,
    },
  ],
};

export default lab;
