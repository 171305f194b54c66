import type { Lab, LabRun } from '../lab';
import { BUSY_LOOP, labCgroup } from '../common';
import { QUOTA_US, cpuPeriodUs, describeCpuLimit, measureCpuLimit, provesLimit, type CpuLimitMeasure } from '../cpu-limit';
import { cgroupsOf, readText } from '../observe';
import { calls, failedCall, show } from '../trace';

/** The quota as the file shows it: cpu.cfs_quota_us (v1) or the first field of cpu.max (v2). */
function quotaOf(dir: string, version: string): string | undefined {
  return version === 'v1' ? readText(`${dir}/cpu.cfs_quota_us`) : readText(`${dir}/cpu.max`)?.split(' ')[0];
}

function writeTo(run: LabRun, file: string): string | undefined {
  const failed = failedCall(run.trace, 'write', new RegExp(file.replace('.', '\\.')));
  if (failed) return show(failed);
  return calls(run.trace, 'write', new RegExp(file.replace('.', '\\.'))).length ? undefined : `no write to ${file} in the trace`;
}

const lab: Lab = {
  id: 'cgroup',
  order: 50,
  title: 'cgroups: make the directory, write the quota, join it (--cpu-quota=50000)',
  chapter: 'cgroup',
  withoutRoot: { needsRoot: "a CPU limit is a write to the host's cgroup tree, which only root may change (no cgroup is delegated to you)" },
  command: BUSY_LOOP,
  setup: (id) => {
    const { dir, version } = labCgroup('cpu', id);
    return { given: { cgroup: dir, version }, part: {} };
  },
  observe: async (pid, given) => {
    const dir = String(given.cgroup);
    const cgroups = cgroupsOf(pid);
    return {
      exists: readText(`${dir}/cgroup.procs`) !== undefined,
      quota: quotaOf(dir, String(given.version)),
      period: cpuPeriodUs(dir, String(given.version)),
      cgroupOfProcess: given.version === 'v1' ? cgroups.cpu : cgroups[''],
      // The cgroup's own counters (cpu.stat), not the wall clock: a busy host cannot fake or hide the limit.
      cpu: await measureCpuLimit(dir, String(given.version), QUOTA_US),
    };
  },
  hints: [
    "A cgroup is a directory: make given.cgroup in a prepare step, journaled so kit removes it: `ctx.changes.make({ op: 'rmdir', path: given.cgroup }, () => ctx.trace.check(why, (n) => n.mkdir(given.cgroup, 0o755)))`.",
    "Write the quota with one write to the knob: v1: '50000' to cpu.cfs_quota_us (of a 100000 us period); v2: '50000 100000' to cpu.max. `ctx.trace.check(why, (n) => n.writeFile(path, value))`.",
    "Join it: an `attach` step (it runs after clone(), while the child waits, with ctx.pid set) writes String(ctx.pid) to given.cgroup/cgroup.procs.",
  ],
  cleanHint: 0,
  checks: [
    {
      name: 'given.cgroup exists while the container runs',
      pass: (run) => run.seen.exists === true,
      diagnose: (run) => run.error ?? (calls(run.trace, 'mkdir').length ? undefined : 'no mkdir of given.cgroup in the trace'),
      hint: 0,
    },
    {
      name: 'its CPU quota is 50000 us per 100000 us period (cpu.cfs_quota_us and cpu.cfs_period_us; v2: cpu.max)',
      pass: (run) => run.seen.quota === '50000' && run.seen.period === 100000,
      diagnose: (run) => writeTo(run, run.given.version === 'v1' ? 'cpu.cfs_quota_us' : 'cpu.max') ?? `the quota reads ${String(run.seen.quota)} per ${String(run.seen.period)} us`,
      hint: 1,
    },
    {
      name: "the container's process is in given.cgroup (/proc/<pid>/cgroup)",
      pass: (run) => typeof run.seen.cgroupOfProcess === 'string' && String(run.given.cgroup).endsWith(run.seen.cgroupOfProcess),
      diagnose: (run) => `the container's process is in ${String(run.seen.cgroupOfProcess)}, not in given.cgroup: ${writeTo(run, 'cgroup.procs') ?? 'its PID was written to the wrong cgroup.procs'}; a limit applies only to processes in the cgroup`,
      hint: 2,
    },
    {
      name: "the limit holds, by the cgroup's own counters (cpu.stat): its busy loop used at most ~50% of each 100 ms period, and the kernel stopped it at the quota",
      pass: (run) => provesLimit(run.seen.cpu as CpuLimitMeasure | undefined),
      diagnose: (run) => describeCpuLimit(run.seen.cpu as CpuLimitMeasure | undefined),
      hint: 1,
    },
  ],
};

export default lab;
