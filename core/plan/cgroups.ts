import { join } from 'node:path';
import { containerCgroups, usageDirs, type ContainerCgroups } from '../cgroups/container';
import { createCgroup } from '../cgroups/lifecycle';
import type { CgroupDir } from '../cgroups/driver';
import { tracedIo } from '../cgroups/traced-io';
import { readUsage } from '../cgroups/usage';
import type { ContainerSpec } from '../spec';
import type { HostContext, PlanPart } from './plan';

/**
 * Control groups: limit what the container may use. Before clone() kit
 * creates the container's cgroup directories and writes the limits into
 * their files; after clone() it writes the child's pid into cgroup.procs
 * while the child still waits, so the container is limited before it runs
 * anything. After it exits kit reads what the kernel counted (OOM kills,
 * refused forks); the undo journal then empties and removes the dirs.
 * The limits are checked here, at plan time, so bad values create nothing.
 */
export function planCgroups(spec: ContainerSpec, id: string): PlanPart {
  const cgroups = containerCgroups(spec, id);
  if (!cgroups) return {};
  return {
    prepare: [{ why: `the container's cgroup (${cgroups.driver.version}): a directory kit creates, whose files set the limits`, run: (ctx) => create(ctx, cgroups) }],
    attach: [{ why: 'join the cgroup before running anything: the child is waiting, so no instruction of it runs unlimited', run: (ctx) => joinCgroups(ctx, cgroups.dirs) }],
    exited: [{ why: 'read what the kernel counted before the cgroup is removed', run: (ctx) => report(ctx, cgroups) }],
  };
}

/** Every controller's dir (several on cgroup v1), journaled in one batch: one fsync, then the mkdirs. */
function create(ctx: HostContext, { driver, dirs, limits }: ContainerCgroups): void {
  const io = tracedIo(ctx.trace);
  ctx.changes.makeAll(dirs.map((dir) => ({ op: 'cgroup' as const, path: dir.path, ...(dir.sharedParent ? { parent: dir.parent } : {}) })), () => {
    for (const dir of dirs) {
      createCgroup(io, dir);
      for (const w of driver.limitWrites(dir, limits)) ctx.trace.check(w.why, (n) => n.writeFile(w.file, w.value));
    }
  });
}

/**
 * Move ctx.pid into the cgroups: a new container's first process, or a
 * `kit exec` process joining a running one. cgroup.procs moves the whole
 * process (v1's tasks file would move one thread); both versions have it.
 */
export function joinCgroups(ctx: HostContext, dirs: CgroupDir[]): void {
  for (const dir of dirs) ctx.trace.check(undefined, (n) => n.writeFile(join(dir.path, 'cgroup.procs'), String(ctx.pid)));
}

/** Tell the user when the limits acted: the OOM killer, refused forks. */
function report(ctx: HostContext, cgroups: ContainerCgroups): void {
  const usage = readUsage(usageDirs(cgroups));
  const { limits } = cgroups;
  const events = cgroups.driver.version === 'v1' ? 'memory.oom_control' : 'memory.events';
  if (usage.oomKills) {
    ctx.oomKilled = true;
    // Recent kernels leave v1's memory.failcnt at 0 even here: "the limit was hit 0 times" beside an OOM kill would be wrong.
    const hits = usage.memoryFailcnt ? `; the limit was hit ${usage.memoryFailcnt} times` : '';
    ctx.notes.push(`out of memory: the kernel's OOM killer killed ${usage.oomKills} process(es) that went over --memory ${limits.memory} bytes (${mib(limits.memory)}) (${events}: oom_kill ${usage.oomKills}${hits})`);
  }
  if (usage.pidsRefused) {
    ctx.notes.push(`pids limit: fork() was refused ${usage.pidsRefused} time(s) at --pids-limit ${limits.pidsLimit} (pids.events: max ${usage.pidsRefused})`);
  }
}

function mib(bytes: number | undefined): string {
  return bytes === undefined ? '?' : `${+(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
