import { type Chapter, type ChapterResultData } from '../core';

/** How many "started PID" lines the loop printed. */
function started(r: ChapterResultData): number {
  return (r.container.stdout.match(/^started \d+$/gm) ?? []).length;
}

const chapter: Chapter = {
  id: 'pids',
  order: 84,
  title: 'Pids limit: a fork loop stops, the host does not notice',
  turnsOn: ['cgroup (pids limit)'],
  summary: 'docker run --pids-limit 10: pids.max, and fork() failing with EAGAIN inside only',
  story: `A fork bomb (a process that forks copies of itself, forever) can fill the host's
process table so nothing else can start, not even the shell you would stop it
from. A PID namespace does not help: the processes are still processes of the
host. The pids controller does: pids.max caps how many processes (and threads)
a cgroup may hold, and past it fork() and clone() fail with EAGAIN for the
processes in that cgroup only. Here a shell starts background sleeps in a
loop, printing each one's pid, with --pids-limit 10.`,
  spec: {
    namespaces: ['pid', 'mount'],
    command: ['sh', '-c', 'for i in $(seq 50); do sleep 30 & echo "started $!"; done'],
    resources: { pidsLimit: 10 },
  },
  probes: { before: [], during: ['pids-cgroup-dir'], after: ['kit-cgroups'] },
  takeaway: `Inside, the loop printed a few pids and then the shell could not fork: the 10
include the shell itself. The host forked as usual all along. kit's note gives
pids.events' max counter: how many forks the limit refused.`,
  claims: [
    {
      // The chapter's loop prints each pid it started; a fork bomb (its Try line) prints only the refusals.
      says: (r) => (started(r) ? `the loop printed ${started(r)} pids, then the shell could not fork` : 'past the limit the shell could not fork'),
      holds: (r) => /fork/i.test(r.container.stderr) && started(r) < 10,
    },
    { says: "kit's note gives how many forks the limit refused (pids.events max)", holds: (r) => r.container.notes.some((n) => /pids\.events: max [1-9]/.test(n)) },
  ],
  tryNext: [
    "sudo kit chapter pids -- sh -c 'f() { f | f & }; f; sleep 1'   # a real fork bomb, harmless here (sleep: PID 1 waits for it)",
    'sudo kit run --pids-limit 20 base sh',
    'sudo kit chapter cgroup                  # the CPU quota, measured',
  ],
  explain: {
    write: `pids.max is the most tasks (processes and threads) the cgroup and its descendants may hold. A fork past it fails with EAGAIN ("Resource temporarily unavailable"), and pids.events counts each refusal as "max".`,
  },
};

export default chapter;
