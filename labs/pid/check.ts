import type { Lab, LabRun } from '../lab';
import { mountDiagnosis, observeNamespaces, ownNamespace, rootPropagation, WAIT } from '../common';
import { nsPids, readProc } from '../observe';
import { calls } from '../trace';

/** Whether the container's view of /proc is a procfs of its own PID namespace: its PID 1 is the container's command. */
function procShowsContainer(pid: number): boolean {
  const own = readProc(pid, 'cmdline');
  return own !== undefined && readProc(pid, 'root/proc/1/cmdline') === own;
}

function privateRoot(run: LabRun): boolean {
  return run.seen.rootPropagation === 'private';
}

const lab: Lab = {
  id: 'pid',
  order: 20,
  title: 'PID namespace: PID 1, and a /proc that shows it',
  chapter: 'pid',
  command: WAIT,
  observe: (pid) => ({
    ...observeNamespaces(pid, ['pid', 'mnt']),
    nsPids: nsPids(pid),
    rootPropagation: rootPropagation(pid),
    procShowsContainer: procShowsContainer(pid),
  }),
  hints: [
    'A new PID namespace: `cloneFlags: CLONE.NEWPID`. The child becomes PID 1 in it.',
    'ps reads /proc, and a procfs shows the PID namespace of whoever mounted it. To mount a new one without touching the host\'s /proc, the child needs its own mount namespace: add CLONE.NEWNS.',
    "Before mounting anything, make every mount private, or it propagates back to the host: `{ op: 'mount', source: '', target: '/', fstype: '', flags: MS.REC | MS.PRIVATE, data: '', why }`.",
    "Then mount a fresh procfs over /proc: `{ op: 'mount', source: 'proc', target: '/proc', fstype: 'proc', flags: MS.NOSUID | MS.NODEV | MS.NOEXEC, data: '', why }`.",
  ],
  checks: [
    ownNamespace('pid', 'CLONE_NEWPID', 0),
    {
      name: 'its command is PID 1 in its namespace (NSpid in /proc/<pid>/status ends in 1)',
      pass: (run) => (run.seen.nsPids as number[] | undefined)?.at(-1) === 1 && (run.seen.nsPids as number[]).length > 1,
      hint: 0,
    },
    ownNamespace('mnt', 'CLONE_NEWNS', 1),
    {
      name: 'its mounts are private: nothing it mounts propagates to the host',
      pass: privateRoot,
      diagnose: (run) => (calls(run.trace, 'mount', /MS_PRIVATE/).length ? 'the MS_PRIVATE mount did not reach "/": use MS.REC | MS.PRIVATE on "/"' : `no mount(NULL, "/", NULL, MS_REC|MS_PRIVATE) in the trace: "/" is still ${run.seen.rootPropagation === 'slave' ? "a slave of the host's (it receives the host's mounts)" : 'shared with the host'}`),
      hint: 2,
    },
    {
      name: "/proc inside is a procfs of its own PID namespace (its PID 1 is the container's command)",
      pass: (run) => run.seen.procShowsContainer === true,
      diagnose: (run) => mountDiagnosis(run, /"proc"/, 'no mount of proc in the trace: /proc inside is still the host\'s, so ps would list every host process'),
      hint: 3,
    },
  ],
};

export default lab;
