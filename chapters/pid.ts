import { type Chapter, claimData, type ChapterResultData } from '../core';

const chapter: Chapter = {
  id: 'pid',
  order: 20,
  title: 'PID namespace: PID 1 in a clean process tree',
  turnsOn: ['pid namespace', 'mount namespace'],
  summary: 'CLONE_NEWPID: ps inside sees only the container, its first process is PID 1',
  story: `Run \`ps -ef\` on a host and you see dozens of processes, /sbin/init as PID 1 and
kthreadd as PID 2. Run it inside a Docker container and you see two or three lines,
with the container's own first process as PID 1. Docker does this by passing
CLONE_NEWPID to clone(): the child becomes PID 1 of a new PID namespace and can
only see its own descendants. The host still sees the same process, under an
ordinary PID, as a child of the runtime (dockerd -> containerd -> shim -> your
process; here: kit -> your process).
One more piece is needed: ps reads /proc, and a procfs shows the PID namespace
of whoever mounted it. So the container also gets a mount namespace and mounts
a fresh /proc inside it, leaving the host's /proc alone.`,
  spec: { namespaces: ['pid', 'mount'], command: ['ps', '-ef'] },
  probes: { before: ['processes'], during: ['container-process'], after: ['processes'] },
  takeaway: `Inside, ps -ef lists its own command as PID 1 and nothing of the host. From the
host, the same process has an ordinary PID (clone's return value), kit as its
parent, and an NSpid line with both of its PIDs.`,
  claims: [
    { says: 'inside, ps -ef lists its own command as PID 1, and nothing of the host', holds: (r) => insideTreeIsOwn(r.container.stdout) },
    { says: "from the host, the same process has an ordinary PID (clone's return value) and both PIDs in NSpid", holds: (r) => (claimData.probe(r, 'during', 'container-process')?.text ?? '').includes(`NSpid: ${claimData.clonePid(r)} 1`) },
    { says: 'its parent on the host is kit', holds: (r) => parentOf(r, claimData.clonePid(r)) === kitRow(r) },
  ],
  tryNext: [
    "sudo kit chapter pid -- sh -c 'echo my pid is $$; sleep 1 & ps -ef'",
    'sudo kit chapter pid --strace            # a second view: strace of the process inside',
    'sudo kit chapter uts                     # the UTS namespace, if you skipped it',
  ],
  explain: {
    clone: `CLONE_NEWPID makes the child the first process (PID 1) of a new PID namespace. PID 1 is special: orphans are re-parented to it, signals without a handler do not kill it, and when it exits the kernel kills every other process in the namespace. CLONE_NEWNS gives it a copy of the host's mounts to change freely.`,
    mount: `The first mount makes every mount in the new namespace private, so nothing mounted inside propagates back to the host. The second mounts a new procfs over /proc: procfs shows the PID namespace of the process that mounted it.`,
    execve: `execve replaces the program running in a process, keeping its PID. After kit-init execs the command, the command is PID 1.`,
  },
};

/**
 * What ps -ef printed inside (the chapter's command, or a learner's `sh -c '...; ps -ef'`):
 * PID 1 is a child of no one (PPID 0), and every other process descends from a
 * process in the table: none of the host's (its kthreadd is a second PPID-0 row).
 */
function insideTreeIsOwn(stdout: string): boolean {
  const lines = stdout.split('\n');
  const header = lines.findIndex((l) => /^\s*UID\s+PID\s+PPID\s/.test(l));
  if (header < 0) return false;
  const rows = lines.slice(header + 1).map((l) => /^\S+\s+(\d+)\s+(\d+)\s/.exec(l)).filter((m) => m !== null).map((m) => [Number(m[1]), Number(m[2])]);
  const pids = new Set(rows.map(([pid]) => pid));
  return rows.some(([pid, ppid]) => pid === 1 && ppid === 0) && rows.every(([pid, ppid]) => pid === 1 || pids.has(ppid));
}

/** The PID and PPID rows of the container-process probe's ps table. */
function psRows(r: ChapterResultData): Array<[number, number]> {
  const text = claimData.probe(r, 'during', 'container-process')?.text ?? '';
  return [...text.matchAll(/^\s*(\d+)\s+(\d+)\s/gm)].map((m) => [Number(m[1]), Number(m[2])]);
}

function parentOf(r: ChapterResultData, pid: number): number | undefined {
  return psRows(r).find(([p]) => p === pid)?.[1];
}

/** kit's own row: the probe lists kit and the container process. */
function kitRow(r: ChapterResultData): number | undefined {
  return psRows(r).find(([p]) => p !== claimData.clonePid(r))?.[0];
}

export default chapter;
