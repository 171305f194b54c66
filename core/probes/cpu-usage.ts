import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { cgroupsOfPid, readUsage, type Usage, type UsageDirs } from '../cgroups/usage';
import type { Probe } from './probe';

/** How long the container is watched: ~20 CFS periods of 100 ms. */
const CPU_WINDOW_MS = 2000;

/**
 * The CPU time the container's cgroup used over a wall-clock window, from
 * the kernel's own counter (cpuacct.usage on v1, cpu.stat usage_usec on v2).
 * A busy loop takes 100% of a CPU unless something limits it. The time it
 * spent runnable but waiting for a CPU (/proc/<pid>/schedstat) says whether
 * the host was too busy for the loop to get what its limit allows.
 */
export const cpuUsage: Probe = {
  wrap: true,
  id: 'cpu-usage',
  title: 'CPU time the container used',
  run: async ({ pid }) => {
    const dirs = pid ? cgroupsOfPid(pid) : undefined;
    if (!pid || !dirs) return { text: '(no container cgroup)' };
    const start = sample(pid, dirs);
    await sleep(CPU_WINDOW_MS);
    const end = sample(pid, dirs);
    const wallMs = end.at - start.at;
    const cpuMs = delta(start, end, 'cpuUsec') / 1000;
    const throttledMs = delta(start, end, 'throttledUsec') / 1000;
    const percent = Math.round((cpuMs / wallMs) * 100);
    const counter = dirs.version === 'v1' ? 'cpuacct.usage' : 'cpu.stat usage_usec';
    const lines = [
      `${counter}: ${Math.round(cpuMs)} ms of CPU time in ${wallMs} ms of wall-clock time = ${percent}% of one CPU`,
      `cpu.stat: held back by the quota for ${Math.round(throttledMs)} ms, in ${delta(start, end, 'throttledPeriods')} of ${delta(start, end, 'periods')} periods`,
      waitLine(start, end, throttledMs),
    ];
    return { title: `CPU time the container used: ${percent}% of one CPU`, text: lines.join('\n') };
  },
};

/** A busy loop is always running or runnable: time runnable but not running was the quota's or other processes'. */
function waitLine(start: Sample, end: Sample, throttledMs: number): string {
  if (start.waitNs === undefined || end.waitNs === undefined) return 'the command ended during the window: it used less because it ran for less';
  const othersMs = Math.max(0, Math.round((end.waitNs - start.waitNs) / 1e6 - throttledMs));
  return `waiting for a CPU other processes had (schedstat run_delay minus throttled time): ${othersMs} ms`;
}

interface Sample extends Usage {
  at: number;
  /** Time spent runnable but not running (/proc/<pid>/schedstat), while the process exists. */
  waitNs?: number;
}

function sample(pid: number, dirs: UsageDirs): Sample {
  return { ...readUsage(dirs), at: Date.now(), waitNs: runDelayNs(pid) };
}

function runDelayNs(pid: number): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ')[1]);
  } catch {
    return undefined; // exited (and reaped) during the window
  }
}

function delta(start: Sample, end: Sample, key: 'cpuUsec' | 'throttledUsec' | 'periods' | 'throttledPeriods'): number {
  return (end[key] ?? 0) - (start[key] ?? 0);
}
