import { join } from 'node:path';
import type { PlanPart } from 'kit';

export default function lab(given: { cgroup: string; version: 'v1' | 'v2' }): PlanPart {
  const [file, value] = given.version === 'v1' ? ['cpu.cfs_quota_us', '50000'] : ['cpu.max', '50000 100000'];
  return {
    prepare: [
      {
        why: "make the container's cgroup: a directory, removed afterwards",
        run: (ctx) => void ctx.changes.make({ op: 'rmdir', path: given.cgroup }, () => ctx.trace.check(undefined, (n) => n.mkdir(given.cgroup, 0o755))),
      },
      { why: 'at most 50000 us of CPU per 100000 us period', run: (ctx) => void ctx.trace.check(undefined, (n) => n.writeFile(join(given.cgroup, file), value)) },
    ],
    attach: [{ why: 'join it: the limit applies to the processes in it', run: (ctx) => void ctx.trace.check(undefined, (n) => n.writeFile(join(given.cgroup, 'cgroup.procs'), String(ctx.pid))) }],
  };
}
