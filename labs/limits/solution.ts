import { join } from 'node:path';
import type { HostContext, PlanPart } from 'kit';

export default function lab(given: { memory: string; pids: string; version: 'v1' | 'v2' }): PlanPart {
  const dirs = [...new Set([given.memory, given.pids])]; // one directory on v2
  const memoryFile = given.version === 'v1' ? 'memory.limit_in_bytes' : 'memory.max';
  const write = (ctx: HostContext, path: string, value: string) => void ctx.trace.check(undefined, (n) => n.writeFile(path, value));
  return {
    prepare: [
      ...dirs.map((dir) => ({
        why: 'make a cgroup directory, removed afterwards',
        run: (ctx: HostContext) => void ctx.changes.make({ op: 'rmdir', path: dir }, () => ctx.trace.check(undefined, (n) => n.mkdir(dir, 0o755))),
      })),
      { why: 'at most 32 MiB of memory', run: (ctx) => write(ctx, join(given.memory, memoryFile), String(32 * 1024 * 1024)) },
      { why: 'at most 10 processes', run: (ctx) => write(ctx, join(given.pids, 'pids.max'), '10') },
    ],
    attach: dirs.map((dir) => ({ why: 'join it: limits apply to the processes in it', run: (ctx: HostContext) => write(ctx, join(dir, 'cgroup.procs'), String(ctx.pid)) })),
  };
}
