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
    attach: joinsItself(spec, cgroups) ? [] : [{ why: 'join the cgroup before running anything: the child is waiting, so no instruction of it runs unlimited', run: (ctx) => joinCgroups(ctx, cgroups.dirs) }],
    exited: [{ why: 'read what the kernel counted before the cgroup is removed', run: (ctx) => report(ctx, cgroups) }],
  };
}

/**
 * On cgroup v1, kit-init joins the container's cgroups itself, as the
 * plan's first steps (buildPlan puts them before any other): a write of
 * "0" into each hierarchy's `tasks` file moves the calling thread, and
 * kit-init has only one. Why not the host writing the child's pid into
 * cgroup.procs, as runc does: moving another process (or a whole thread
 * group) takes the kernel's cgroup_threadgroup_rwsem for writing, and the
 * first writer after a quiet spell waits for an RCU grace period, every CPU
 * passing a quiescent state: 5-10 ms on a busy host, for each container. A
 * thread moving itself cannot exit or exec under the kernel's feet, so the
 * kernel skips that lock. Nothing of the plan runs before these writes, so
 * the container is no less confined than when the host moved it.
 * Not in a new user namespace: root there is not root over the host's
 * cgroup files, so the host moves the child (an attach step, joinCgroups).
 */
export function planCgroupSelfJoin(spec: ContainerSpec, id: string): PlanPart {
  const cgroups = containerCgroups(spec, id);
  if (!cgroups || !joinsItself(spec, cgroups)) return {};
  return {
    container: cgroups.dirs.map((dir) => ({
      op: 'write' as const,
      path: join(dir.path, 'tasks'),
      data: '0',
      why: `join the container's ${dir.controllers.join(',')} cgroup first, before any other step: "0" is the caller, this single-threaded kit-init (a thread moving itself spares the kernel an RCU grace period)`,
    })),
  };
}

function joinsItself(spec: ContainerSpec, { driver }: ContainerCgroups): boolean {
  return driver.version === 'v1' && !spec.namespaces.includes('user');
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
