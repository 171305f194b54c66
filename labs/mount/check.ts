import { CLONE, joinParts, MS, type HostContext, type PlanPart } from '../../core';
import type { Lab } from '../lab';
import { labDir, mountDiagnosis, observeNamespaces, ownNamespace, propagationOf, scratchDir, WAIT } from '../common';
import { isRoot } from '../rootless';
import { mountsOf } from '../observe';

const MS_SHARED = 1 << 20;

const lab: Lab = {
  id: 'mount',
  order: 25,
  title: 'Mount namespace: mounts of its own, kept from the host',
  chapter: 'mount',
  command: WAIT,
  setup: (id, paths) => {
    const dir = labDir(paths, id);
    const target = `${dir}/mnt`;
    // A shared mount point, as "/" is on most systemd hosts: a mount made under
    // it in a copy of the mount namespace propagates back unless made private.
    const shared = {
      prepare: [
        {
          why: 'make given.target a shared mount, as systemd makes "/": what is mounted on it propagates to its peers',
          run: (ctx: HostContext) => {
            ctx.changes.make({ op: 'umount', path: target }, () => ctx.trace.check(undefined, (n) => n.mount(target, target, '', 4096, '')));
            ctx.changes.make({ op: 'umount', path: target }, () => ctx.trace.check(undefined, (n) => n.mount('', target, '', MS_SHARED, '')));
          },
        },
      ],
    };
    // Without root the lab cannot mount on the host: given.target is a plain dir, and
    // the user namespace's copy of the host's shared mounts receives but never sends.
    const dirs = joinParts(scratchDir(dir, 'a scratch dir for this lab'), scratchDir(target, 'the mount point given.target'));
    if (isRoot()) return { given: { target }, part: joinParts(dirs, shared) };
    // So, without root, given.target is made a shared mount inside, when the student's
    // plan gives the container a mount namespace: what is mounted on it then joins
    // its peer group, unless the student made "/" private first.
    const sharedInside = (student: PlanPart): PlanPart =>
      (student.cloneFlags ?? 0) & CLONE.NEWNS
        ? {
            container: [
              { op: 'mount', source: target, target, fstype: '', flags: MS.BIND, data: '', why: 'the lab: given.target becomes a mount point of its own' },
              { op: 'mount', source: '', target, fstype: '', flags: MS_SHARED, data: '', why: 'the lab: and a shared one, as systemd makes "/": what is mounted on it propagates to its peers' },
            ],
          }
        : {};
    return { given: { target }, part: dirs, before: sharedInside };
  },
  observe: (pid, given) => ({
    ...observeNamespaces(pid, ['mnt']),
    inside: mountsOf(pid).filter((m) => m.mountPoint === given.target).map((m) => m.fstype),
    onHost: mountsOf('self').filter((m) => m.mountPoint === given.target).map((m) => m.fstype),
    insidePropagation: propagationOf(mountsOf(pid).filter((m) => m.mountPoint === given.target).at(-1)),
  }),
  hints: [
    'A mount namespace of its own: `cloneFlags: CLONE.NEWNS`. The child starts with a copy of the host\'s mounts.',
    "Mount a tmpfs on given.target inside: `{ op: 'mount', source: 'tmpfs', target: given.target, fstype: 'tmpfs', flags: 0, data: 'size=1m', why }`.",
    "First make every mount private: `{ op: 'mount', source: '', target: '/', fstype: '', flags: MS.REC | MS.PRIVATE, data: '', why }`. A copy of a shared mount stays a peer of the host's, and what is mounted on it shows up on the host too.",
  ],
  checks: [
    ownNamespace('mnt', 'CLONE_NEWNS', 0),
    {
      name: 'inside, a tmpfs is mounted on given.target',
      pass: (run) => (run.seen.inside as string[] | undefined)?.includes('tmpfs') === true,
      diagnose: (run) => mountDiagnosis(run, /"tmpfs"/, 'no mount of a tmpfs in the trace'),
      hint: 1,
    },
    {
      name: "the host's mount table does not show it (mounts made private before mounting)",
      pass: (run) => Array.isArray(run.seen.onHost) && !(run.seen.onHost as string[]).includes('tmpfs'),
      diagnose: () => 'your tmpfs appeared in the host\'s mount table at given.target: it propagated through a shared mount. Make "/" private (MS_REC|MS_PRIVATE) before mounting',
      hint: 2,
    },
    {
      name: 'inside, the tmpfs on given.target is private: in no peer group, so no other mount namespace sees it (no shared:N in /proc/<pid>/mountinfo)',
      pass: (run) => run.seen.insidePropagation === 'private',
      diagnose: (run) => `inside, your tmpfs on given.target is ${String(run.seen.insidePropagation)}: it was mounted under a shared mount, so it joined that mount's peer group${run.viaUserNamespace ? ' (as root, the host would see it)' : ''}. Make "/" private (MS_REC|MS_PRIVATE) before mounting`,
      hint: 2,
    },
  ],
};

export default lab;
