import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KitError } from '../errors';
import type { CgroupDir, CgroupDriver, KnobWrite } from './driver';
import { neededControllers, type Limits } from './limits';
import { v1BlkioDeviceWrites } from './blkio-devices';

/**
 * Controllers kit puts every container under on v1: the accounting ones, so
 * its usage can be read; devices, whose rules say which device nodes it
 * may open (core/plan/devices.ts); freezer, for kit pause.
 */
const ACCOUNTING = ['cpu', 'cpuacct', 'memory', 'pids', 'devices', 'freezer'];

/**
 * cgroup v1: each controller is its own hierarchy, mounted at
 * <root>/<controller> (co-mounted ones, like cpu,cpuacct, share one tree
 * reached through symlinks). A container gets a directory in every
 * hierarchy kit uses: <root>/cpu/kit/<id>, <root>/memory/kit/<id> ...
 */
export class V1Driver implements CgroupDriver {
  readonly version = 'v1';

  constructor(readonly root: string, private readonly controllers: string[]) {}

  available(): string[] {
    return this.controllers;
  }

  controllersFor(limits: Limits): string[] {
    const wanted = new Set([...ACCOUNTING, ...neededControllers(limits).map((n) => n.controller), ...(limits.updatable ? ['blkio'] : [])]);
    return this.controllers.filter((c) => wanted.has(c));
  }

  check(limits: Limits): void {
    for (const { controller, flag } of neededControllers(limits)) {
      if (!this.controllers.includes(controller)) {
        throw new KitError(
          `${flag} needs the ${controller} controller, which this host's cgroup v1 does not have (mounted: ${this.controllers.join(', ') || 'none'})`,
          `check /proc/cgroups; drop ${flag} to run without that limit`,
        );
      }
    }
    if (limits.memorySwap !== undefined && !existsSync(join(this.root, 'memory', 'memory.memsw.limit_in_bytes'))) {
      throw new KitError('--memory-swap needs swap accounting (memory.memsw.limit_in_bytes), which this kernel has switched off', 'boot with swapaccount=1, or drop --memory-swap');
    }
  }

  /** One directory per hierarchy: controllers mounted together share one. */
  cgroups(id: string, controllers: string[], path?: string, below: Record<string, string> = {}): CgroupDir[] {
    const byHierarchy = new Map<string, string[]>();
    for (const controller of controllers) {
      // .native: one realpath(3), where Node's own walks each component in JavaScript (~0.4 ms a call; a plan asks ~30 times)
      const mount = realpathSync.native(join(this.root, controller));
      byHierarchy.set(mount, [...(byHierarchy.get(mount) ?? []), controller]);
    }
    return [...byHierarchy.values()].map((group) => {
      const dir = path ? join(this.root, group[0], path.startsWith('/') ? '' : below[group[0]] ?? '/', path) : join(this.root, group[0], 'kit', id);
      const parent = dirname(dir);
      return { path: dir, parent, sharedParent: !path, controllers: group, parentWrites: group.includes('cpuset') ? this.cpusetParentWrites(parent) : [] };
    });
  }

  limitWrites(dir: CgroupDir, limits: Limits): KnobWrite[] {
    const at = (file: string) => join(dir.path, file);
    const writes: KnobWrite[] = [];
    const has = (c: string) => dir.controllers.includes(c);
    if (has('cpu')) {
      if (limits.cpuPeriod !== undefined) writes.push({ file: at('cpu.cfs_period_us'), value: String(limits.cpuPeriod), why: '--cpu-period: the CFS period, in microseconds' });
      if (limits.cpuQuota !== undefined) writes.push({ file: at('cpu.cfs_quota_us'), value: String(limits.cpuQuota), why: '--cpu-quota: CPU time allowed per period, in microseconds' });
      if (limits.cpuShares !== undefined) writes.push({ file: at('cpu.shares'), value: String(limits.cpuShares), why: '--cpu-shares: relative weight when CPUs are contended' });
    }
    if (has('memory') && limits.memory !== undefined) {
      writes.push({ file: at('memory.limit_in_bytes'), value: String(limits.memory), why: '--memory: above this the kernel reclaims, then OOM-kills' });
      // memsw counts memory + swap, like --memory-swap; it may never be below limit_in_bytes, so it comes second.
      if (limits.memorySwap !== undefined) writes.push({ file: at('memory.memsw.limit_in_bytes'), value: String(limits.memorySwap), why: '--memory-swap: memory plus swap together (-1: unlimited)' });
    }
    if (has('memory') && limits.memoryReservation !== undefined) writes.push({ file: at('memory.soft_limit_in_bytes'), value: String(limits.memoryReservation), why: '--memory-reservation: a soft limit; when the host runs short of memory, reclaim pushes the group back to it' });
    if (has('memory') && limits.oomKillDisable) writes.push({ file: at('memory.oom_control'), value: '1', why: '--oom-kill-disable: over the limit, the OOM killer leaves these processes alone; they wait for memory instead' });
    if (has('blkio') && limits.blkioWeight !== undefined) writes.push(this.blkioWeightWrite(dir.path, limits.blkioWeight));
    if (has('blkio') && limits.blkioDevices) writes.push(...v1BlkioDeviceWrites(dir.path, limits.blkioDevices));
    if (has('pids') && limits.pidsLimit !== undefined) writes.push({ file: at('pids.max'), value: String(limits.pidsLimit), why: '--pids-limit: fork() fails with EAGAIN past this many processes' });
    if (has('cpuset') && limits.cpusetCpus !== undefined) {
      writes.push({ file: at('cpuset.cpus'), value: limits.cpusetCpus, why: '--cpuset-cpus: the CPUs it may run on' });
      writes.push({ file: at('cpuset.mems'), value: this.rootCpuset('cpuset.mems'), why: 'v1 cpuset starts empty: a task cannot join until mems is set too' });
    }
    return writes;
  }

  /**
   * The weight file is BFQ's when the kernel has BFQ (CFQ, whose file was
   * blkio.weight, left Linux in 5.0), looked up in the new cgroup as runc
   * does; with neither, the write fails with ENOENT, as runc's does.
   */
  private blkioWeightWrite(dir: string, weight: number): KnobWrite {
    const bfq = existsSync(join(dir, 'blkio.bfq.weight'));
    return { file: join(dir, bfq ? 'blkio.bfq.weight' : 'blkio.weight'), value: String(weight), why: `--blkio-weight: its share of block I/O when disks are contended (10..1000${bfq ? ', the BFQ scheduler' : ''})` };
  }

  /** A new v1 cpuset starts with no CPUs and no memory nodes: the shared parent gets the host's. */
  private cpusetParentWrites(parent: string): KnobWrite[] {
    return ['cpuset.cpus', 'cpuset.mems'].map((file) => ({
      file: join(parent, file),
      value: this.rootCpuset(file),
      why: `v1 cpuset: a new cgroup starts empty, so kit's parent takes the host's ${file}`,
    }));
  }

  private rootCpuset(file: string): string {
    return readFileSync(join(this.root, 'cpuset', file), 'utf8').trim();
  }
}
