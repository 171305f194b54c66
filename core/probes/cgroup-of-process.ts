import { readFileSync } from 'node:fs';
import type { Probe } from './probe';

const title = "the container's cgroups, seen from the host (/proc/<pid>/cgroup)";

/** Which cgroup the process is in, as the host names it: kit/<id> (inside, its cgroup namespace calls that "/"). */
export const cgroupOfProcess: Probe = {
  id: 'cgroup-of-process',
  title,
  run: ({ pid }) => {
    if (!pid) return { text: '(no container running)' };
    return { title: title.replace('<pid>', String(pid)), text: readFileSync(`/proc/${pid}/cgroup`, 'utf8').trimEnd() };
  },
};
