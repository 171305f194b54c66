import { CLONE } from '../../core';
import type { Lab } from '../lab';
import { labCgroup } from '../common';
import { cgroupsOf, readText, sleep } from '../observe';
import { calls, failedCall, show } from '../trace';

const MEMORY = String(32 * 1024 * 1024);
const FORKS = 20;

function memoryLimit(dir: string, version: string): string | undefined {
  return readText(`${dir}/${version === 'v1' ? 'memory.limit_in_bytes' : 'memory.max'}`);
}

const lab: Lab = {
  id: 'limits',
  order: 55,
  title: 'Memory and pids limits (--memory 32m --pids-limit 10)',
  chapter: 'pids',
  withoutRoot: { needsRoot: "memory and pids limits are writes to the host's cgroup tree, which only root may change (no cgroup is delegated to you)" },
  // A subshell tries to start 20 sleeps (with pids.max=10 its forks fail, and it
  // gives up); the first process stays, to be looked at.
  command: ['/bin/sh', '-c', `(for i in ${Array.from({ length: FORKS }, (_, i) => i + 1).join(' ')}; do sleep 60 & done) 2>/dev/null; exec sleep 60`],
  setup: (id) => {
    const memory = labCgroup('memory', id);
    const pids = labCgroup('pids', id);
    // A PID namespace of the lab's own: when the checker stops PID 1, the sleeps end with it.
    return { given: { memory: memory.dir, pids: pids.dir, version: memory.version }, part: { cloneFlags: CLONE.NEWPID } };
  },
  observe: async (pid, given) => {
    await sleep(700); // let the fork loop run into the limit
    const cgroups = cgroupsOf(pid);
    const v1 = given.version === 'v1';
    return {
      exists: readText(`${String(given.memory)}/cgroup.procs`) !== undefined && readText(`${String(given.pids)}/cgroup.procs`) !== undefined,
      memoryLimit: memoryLimit(String(given.memory), String(given.version)),
      pidsMax: readText(`${String(given.pids)}/pids.max`),
      inMemory: v1 ? cgroups.memory : cgroups[''],
      inPids: v1 ? cgroups.pids : cgroups[''],
      pidsCurrent: Number(readText(`${String(given.pids)}/pids.current`)),
    };
  },
  hints: [
    "Make the cgroup directories in a prepare step, journaled: `ctx.changes.make({ op: 'rmdir', path }, () => ctx.trace.check(why, (n) => n.mkdir(path, 0o755)))` (on v1 given.memory and given.pids are two directories; on v2 they are the same one).",
    `Write the limits: ${MEMORY} to memory.limit_in_bytes (v1) or memory.max (v2) in given.memory, and 10 to pids.max in given.pids.`,
    'Join both: an attach step writes String(ctx.pid) to cgroup.procs of given.memory and of given.pids (on v1 a process is in one cgroup per hierarchy).',
  ],
  cleanHint: 0,
  checks: [
    { name: 'given.memory and given.pids exist while the container runs', pass: (run) => run.seen.exists === true, diagnose: (run) => run.error ?? (calls(run.trace, 'mkdir').length ? undefined : 'no mkdir in the trace'), hint: 0 },
    {
      name: 'its memory limit is 32 MiB',
      pass: (run) => run.seen.memoryLimit === MEMORY,
      diagnose: (run) => {
        const failed = failedCall(run.trace, 'write', /memory\.(limit_in_bytes|max)/);
        return failed ? show(failed) : `the memory limit reads ${String(run.seen.memoryLimit)}`;
      },
      hint: 1,
    },
    { name: 'its pids limit is 10', pass: (run) => run.seen.pidsMax === '10', diagnose: (run) => `pids.max reads ${String(run.seen.pidsMax)}`, hint: 1 },
    {
      name: "the container's process is in both (/proc/<pid>/cgroup)",
      pass: (run) => String(run.given.memory).endsWith(String(run.seen.inMemory)) && String(run.given.pids).endsWith(String(run.seen.inPids)) && run.seen.inPids !== '/',
      diagnose: (run) => `it is in ${String(run.seen.inMemory)} for memory and ${String(run.seen.inPids)} for pids: a limit applies only to the processes in cgroup.procs`,
      hint: 2,
    },
    {
      name: `a fork loop of ${FORKS} stops at 10 processes (pids.current)`,
      pass: (run) => typeof run.seen.pidsCurrent === 'number' && run.seen.pidsCurrent > 0 && run.seen.pidsCurrent <= 10,
      diagnose: (run) => `pids.current is ${String(run.seen.pidsCurrent)}`,
      hint: 2,
    },
  ],
};

export default lab;
