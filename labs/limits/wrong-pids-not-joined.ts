import { join } from 'node:path';
import type { HostContext, PlanPart } from 'kit';

/** Wrong on purpose (on cgroup v1): pids.max is set, but the process only joins the memory cgroup. */
export default function lab(given: { memory: string; pids: string; version: 'v1' | 'v2' }): PlanPart {
  const dirs = [...new Set([given.memory, given.pids])];
  const write = (ctx: HostContext, path: string, value: string) => void ctx.trace.check(undefined, (n) => n.writeFile(path, value));
  return {
    prepare: [
      ...dirs.map((dir) => ({ why: 'mkdir', run: (ctx: HostContext) => void ctx.changes.make({ op: 'rmdir', path: dir }, () => ctx.trace.check(undefined, (n) => n.mkdir(dir, 0o755))) })),
      { why: 'memory', run: (ctx) => write(ctx, join(given.memory, given.version === 'v1' ? 'memory.limit_in_bytes' : 'memory.max'), String(32 * 1024 * 1024)) },
      { why: 'pids', run: (ctx) => write(ctx, join(given.pids, 'pids.max'), '10') },
    ],
    attach: [{ why: 'join memory only', run: (ctx) => write(ctx, join(given.memory, 'cgroup.procs'), String(ctx.pid)) }],
  };
}
