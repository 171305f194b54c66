import { join } from 'node:path';
import type { PlanPart } from 'kit';

/** Wrong on purpose: the cgroup and its quota exist, but the container never joins it. */
export default function lab(given: { cgroup: string; version: 'v1' | 'v2' }): PlanPart {
  const [file, value] = given.version === 'v1' ? ['cpu.cfs_quota_us', '50000'] : ['cpu.max', '50000 100000'];
  return {
    prepare: [
      { why: 'make the cgroup', run: (ctx) => void ctx.changes.make({ op: 'rmdir', path: given.cgroup }, () => ctx.trace.check(undefined, (n) => n.mkdir(given.cgroup, 0o755))) },
      { why: 'the quota', run: (ctx) => void ctx.trace.check(undefined, (n) => n.writeFile(join(given.cgroup, file), value)) },
    ],
  };
}
