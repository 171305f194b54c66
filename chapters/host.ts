import { type Chapter, claimData } from '../core';

const chapter: Chapter = {
  id: 'host',
  order: 0,
  title: 'Baseline: a plain process that sees everything',
  turnsOn: [],
  summary: 'fork/exec with no namespaces: the child shares the whole host',
  story: `Before isolating anything, look at an ordinary child process. kit clones it with
no namespace flags at all: only SIGCHLD, exactly what fork() does. It lands in the
host's process tree, sees every other process, has the host's hostname and
mounts. Every later chapter adds one flag to this same clone() and shows what
that one flag takes away.`,
  unconfined: "the baseline: no namespace, and none of Docker's confinement either",
  spec: { security: { privileged: true }, namespaces: [], command: ['ps', '-ef'] },
  probes: { before: ['hostname'], during: ['container-process'], after: [] },
  takeaway: `ps lists every process on the host, and kit's own process among them: a child with
no namespaces is not contained at all. "namespaces that differ from the host's: none".`,
  claims: [
    { says: 'the child shares every namespace with kit: none differs from the host\'s', holds: (r) => claimData.differing(r).length === 0 && claimData.probe(r, 'during', 'container-process') !== undefined },
    { says: 'ps inside lists the host\'s processes, PID 1 among them, not only itself', holds: (r) => r.container.stdout.trim().split('\n').length > 3 && /^\S+\s+1\s+0\s/m.test(r.container.stdout) },
  ],
  tryNext: ['sudo kit chapter uts    # the same clone() plus CLONE_NEWUTS', 'sudo kit chapter pid    # plus CLONE_NEWPID: ps sees a clean process tree'],
  explain: {
    clone: `clone() is the system call under fork(): it creates a new process, and its flag word says what the child shares with its parent and which new namespaces it starts in. With only SIGCHLD (the signal the parent gets when the child ends) it is a plain fork.`,
  },
};

export default chapter;
