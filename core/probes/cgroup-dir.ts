import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupsOfPid } from '../cgroups/usage';
import type { Probe } from './probe';

/**
 * The container's cgroup directory for one controller, as `ls` shows it (the
 * files the kernel made when kit ran mkdir), and the values of the files
 * that hold that controller's limit: what a `docker run` flag comes down to.
 * On v2 it is the one directory for every controller.
 */
function cgroupDirProbe(id: string, controller: string, shown: string[]): Probe {
  const title = `the container's cgroup directory (${controller})`;
  return {
    id,
    title,
    run: ({ pid }) => {
      const dir = pid ? cgroupsOfPid(pid)?.dirFor(controller) : undefined;
      if (!dir) return { text: '(no container cgroup)' };
      const files = readdirSync(dir).sort();
      const values = [...shown, 'cgroup.procs'].filter((f) => files.includes(f)).map((f) => `$ cat ${f}\n${readFileSync(join(dir, f), 'utf8').trim()}`);
      return { title: `${title}: ${dir}`, text: [`$ ls ${dir}`, columns(files), ...values].join('\n') };
    },
  };
}

export const cgroupDir = cgroupDirProbe('cgroup-dir', 'cpu', ['cpu.cfs_quota_us', 'cpu.cfs_period_us', 'cpu.max', 'cpu.shares', 'cpu.weight']);
export const memoryCgroupDir = cgroupDirProbe('memory-cgroup-dir', 'memory', ['memory.limit_in_bytes', 'memory.memsw.limit_in_bytes', 'memory.max', 'memory.swap.max']);
export const pidsCgroupDir = cgroupDirProbe('pids-cgroup-dir', 'pids', ['pids.max', 'pids.current']);

function columns(names: string[]): string {
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const perLine = Math.max(1, Math.floor(96 / width));
  const lines: string[] = [];
  for (let i = 0; i < names.length; i += perLine) lines.push(names.slice(i, i + perLine).map((n) => n.padEnd(width)).join('').trimEnd());
  return lines.join('\n');
}
