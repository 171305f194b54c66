import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupsOfPid } from '../cgroups/usage';
import type { Probe } from './probe';

/** The files that show a CPU limit and membership, in either hierarchy. */
const SHOWN = ['cpu.cfs_quota_us', 'cpu.cfs_period_us', 'cpu.max', 'cpu.shares', 'cpu.weight', 'cgroup.procs'];

/**
 * The container's cgroup directory in its CPU hierarchy, as `ls` shows it
 * (the files the kernel made when kit ran mkdir), and the values of the CPU
 * limit files: what `docker run --cpu-quota` comes down to.
 */
export const cgroupDir: Probe = {
  id: 'cgroup-dir',
  title: "the container's cgroup directory",
  run: ({ pid }) => {
    const dir = pid ? cgroupsOfPid(pid)?.dirFor('cpu') : undefined;
    if (!dir) return { probe: 'cgroup-dir', title: "the container's cgroup directory", text: '(no container cgroup)' };
    const files = readdirSync(dir).sort();
    const values = SHOWN.filter((f) => files.includes(f)).map((f) => `$ cat ${f}\n${readFileSync(join(dir, f), 'utf8').trim()}`);
    return { probe: 'cgroup-dir', title: `the container's cgroup directory: ${dir}`, text: [`$ ls ${dir}`, columns(files), ...values].join('\n') };
  },
};

function columns(names: string[]): string {
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const perLine = Math.max(1, Math.floor(96 / width));
  const lines: string[] = [];
  for (let i = 0; i < names.length; i += perLine) lines.push(names.slice(i, i + perLine).map((n) => n.padEnd(width)).join('').trimEnd());
  return lines.join('\n');
}
