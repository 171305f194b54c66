import { type Chapter, claimData } from '../core';

const chapter: Chapter = {
  id: 'cgroupns',
  order: 85,
  title: 'cgroup namespace: the container sees its own cgroup as "/"',
  turnsOn: ['cgroup namespace', 'cgroup'],
  summary: 'CLONE_NEWCGROUP: /proc/self/cgroup inside shows "/", the host sees kit/<id>',
  story: `A container in its own cgroup could still read /proc/self/cgroup and learn where
the host put it (/kit/<id>), and could look at its siblings. A cgroup namespace
hides that: it makes the cgroup a process is in at the moment of unshare() the
root of what it sees. So the order matters. kit-init first joins its new
cgroups (on cgroup v1 it writes "0", itself, into each hierarchy's tasks file;
on v2 the host writes its pid into cgroup.procs while it waits); only then does
it call unshare(CLONE_NEWCGROUP), and the cgroup it is in becomes its "/".`,
  spec: {
    namespaces: ['cgroup', 'pid', 'mount'],
    command: ['cat', '/proc/self/cgroup'],
    resources: {},
  },
  probes: { before: [], during: ['cgroup-of-process'], after: ['kit-cgroups'] },
  takeaway: `From the host, /proc/<pid>/cgroup names kit/<id> in each hierarchy kit used. Inside,
every line ends in "/": the same cgroups, named relative to the namespace's root.
The unshare in the trace comes after the writes that moved it into its cgroups.`,
  claims: [
    { says: 'inside, every line of /proc/self/cgroup ends in "/"', holds: (r) => r.container.stdout.trim().split('\n').every((l) => l.endsWith(':/')) && r.container.stdout.trim() !== '' },
    { says: 'from the host, /proc/<pid>/cgroup names kit/<id>', holds: (r) => /\/kit\/\w+/.test(claimData.probe(r, 'during', 'cgroup-of-process')?.text ?? '') },
    { says: 'the unshare comes after the writes that moved it into its cgroups (tasks on v1, cgroup.procs on v2)', holds: (r) => { const u = r.trace.findIndex((e) => e.syscall === 'unshare'); const w = r.trace.findIndex((e) => e.syscall === 'write' && /\/(cgroup\.procs|tasks)"$/.test(e.args[0] ?? '')); return w >= 0 && u > w; } },
  ],
  withoutRoot: {
    takeaway: `Without root kit makes no cgroup of its own (no cgroup is delegated to you): the
container stays in the cgroups kit runs in. From the host, /proc/<pid>/cgroup names
them by their full path; inside, every line ends in "/": the same cgroups, named
relative to the namespace's root, made when kit-init unshared.`,
    claims: [
      { says: 'inside, every line of /proc/self/cgroup ends in "/"', holds: (r) => r.container.stdout.trim().split('\n').every((l) => l.endsWith(':/')) && r.container.stdout.trim() !== '' },
      { says: 'from the host, /proc/<pid>/cgroup names a path below "/" that inside is "/"', holds: (r) => (claimData.probe(r, 'during', 'cgroup-of-process')?.text ?? '').split('\n').some((l) => /:\/\S/.test(l)) },
    ],
  },
  tryNext: [
    "sudo kit chapter cgroupns -- sh -c 'ls /sys/fs/cgroup/cpu'   # the host's cgroupfs is still mounted: a cgroup namespace renames, it does not hide files",
    'sudo kit chapter cgroup                   # the limits themselves',
  ],
  explain: {
    unshare: `CLONE_NEWCGROUP makes the caller's current cgroup (in every hierarchy) the root of a new cgroup namespace. /proc/self/cgroup and /proc/self/mountinfo then show paths relative to it. It does not move the process or change any limit.`,
    write: `On cgroup v1 kit-init's first steps write "0" (the calling thread: kit-init has one) into each hierarchy's tasks file; on v2 the host writes the child's pid into cgroup.procs while the child waits for its plan. Either way, by the time kit-init unshares it is already in kit/<id>.`,
  },
};

export default chapter;
