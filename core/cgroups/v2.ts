import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KitError } from '../errors';
import type { CgroupDir, CgroupDriver, KnobWrite } from './driver';
import { CPU_PERIOD, neededControllers, sharesToWeight, type Limits } from './limits';
import { blkioToIoWeight, v2BlkioDeviceWrites } from './blkio-devices';

/** Controllers kit enables for every container when they are delegated to it (io: BLOCK I/O accounting). */
const ACCOUNTING = ['cpu', 'memory', 'pids', 'io'];

/**
 * cgroup v2: one tree for all controllers. A container gets <root>/kit/<id>.
 * A controller works in a directory only once every ancestor lists it in
 * cgroup.subtree_control. kit owns kit/ and enables the controllers there; the
 * root above it belongs to whoever set the host up (systemd enables cpu, io,
 * memory and pids in it at boot): kit reads what it delegates and never
 * writes to it, as a delegated subtree's owner must not.
 */
export class V2Driver implements CgroupDriver {
  readonly version = 'v2';

  constructor(readonly root: string) {}

  /** The controllers delegated to kit/: the ones the root enables for its children. */
  available(): string[] {
    return listIn(join(this.root, 'cgroup.subtree_control'));
  }

  /** The root's cgroup.controllers: what the tree has, delegated or not. */
  offered(): string[] {
    return listIn(join(this.root, 'cgroup.controllers'));
  }

  controllersFor(limits: Limits): string[] {
    const wanted = new Set([...ACCOUNTING, ...v2Needs(limits).map((n) => n.controller)]);
    return this.available().filter((c) => wanted.has(c));
  }

  check(limits: Limits): void {
    const delegated = this.available();
    const offered = this.offered();
    for (const { controller, flag } of v2Needs(limits)) {
      if (delegated.includes(controller)) continue;
      if (!offered.includes(controller)) {
        throw new KitError(
          `${flag} needs the ${controller} controller, which the cgroup v2 tree at ${this.root} does not offer (its cgroup.controllers: ${offered.join(' ') || 'none'})`,
          'on a hybrid host the controllers live in v1: drop --cgroup-driver v2, or drop the flag',
        );
      }
      const control = join(this.root, 'cgroup.subtree_control');
      throw new KitError(
        `${flag} needs the ${controller} controller, which is not delegated to kit: ${control} enables ${delegated.join(' ') || 'none'}`,
        `its owner enables it: echo +${controller} > ${control} (systemd: Delegate=${controller}), or drop the flag`,
      );
    }
  }

  cgroups(id: string, controllers: string[], path?: string, below: Record<string, string> = {}): CgroupDir[] {
    const dir = path ? join(this.root, path.startsWith('/') ? '' : below[''] ?? '/', path) : join(this.root, 'kit', id);
    const parent = dirname(dir);
    const enable = controllers.map((c) => `+${c}`).join(' ');
    const parentWrites: KnobWrite[] = controllers.length === 0 ? [] : [{
      file: join(parent, 'cgroup.subtree_control'),
      value: enable,
      why: "v2: a controller works in a cgroup only if its parent enables it for its children (kit's own kit/; the root above delegates them)",
    }];
    return [{ path: dir, parent, sharedParent: !path, controllers, parentWrites }];
  }

  limitWrites(dir: CgroupDir, limits: Limits): KnobWrite[] {
    const at = (file: string) => join(dir.path, file);
    const writes: KnobWrite[] = [];
    if (limits.cpuQuota !== undefined || limits.cpuPeriod !== undefined) {
      const value = `${limits.cpuQuota ?? 'max'} ${limits.cpuPeriod ?? CPU_PERIOD.default}`;
      writes.push({ file: at('cpu.max'), value, why: '--cpu-quota/--cpu-period: "quota period" in one file (v1: cfs_quota_us, cfs_period_us)' });
    }
    if (limits.cpuShares !== undefined) {
      writes.push({ file: at('cpu.weight'), value: String(sharesToWeight(limits.cpuShares)), why: `--cpu-shares ${limits.cpuShares} as a weight from 1 to 10000 (Docker's conversion)` });
    }
    if (limits.memory !== undefined) {
      writes.push({ file: at('memory.max'), value: String(limits.memory), why: '--memory: above this the kernel reclaims, then OOM-kills' });
      if (limits.memorySwap !== undefined) {
        const swap = limits.memorySwap === -1 ? 'max' : String(limits.memorySwap - limits.memory);
        writes.push({ file: at('memory.swap.max'), value: swap, why: '--memory-swap minus --memory: v2 limits swap alone, Docker counts memory plus swap' });
      }
    }
    if (limits.memoryReservation !== undefined) writes.push({ file: at('memory.low'), value: String(limits.memoryReservation), why: "--memory-reservation as v2's memory.low, as runc writes it: memory below it is reclaimed only when nothing else can be (v1: soft_limit_in_bytes)" });
    if (limits.pidsLimit !== undefined) writes.push({ file: at('pids.max'), value: String(limits.pidsLimit), why: '--pids-limit: fork() fails with EAGAIN past this many processes' });
    if (limits.cpusetCpus !== undefined) writes.push({ file: at('cpuset.cpus'), value: limits.cpusetCpus, why: '--cpuset-cpus: the CPUs it may run on' });
    if (limits.blkioWeight !== undefined) writes.push(blkioWeightWrite(dir.path, limits.blkioWeight));
    if (limits.blkioDevices) writes.push(...v2BlkioDeviceWrites(dir.path, limits.blkioDevices));
    return writes;
  }
}

/**
 * v2 names blkio io, and has no OOM-killer switch: --oom-kill-disable is
 * ignored there, as runc ignores disableOOMKiller (memory.oom.group is
 * another thing), so it needs no controller.
 */
function v2Needs(limits: Limits): Array<{ controller: string; flag: string }> {
  return neededControllers(limits)
    .filter((n) => n.flag !== '--oom-kill-disable')
    .map((n) => (n.controller === 'blkio' ? { ...n, controller: 'io' } : n));
}

/** io.bfq.weight takes the v1 value as is; without BFQ, io.weight takes it converted to 1..10000, as runc does. */
function blkioWeightWrite(dir: string, weight: number): KnobWrite {
  if (existsSync(join(dir, 'io.bfq.weight'))) return { file: join(dir, 'io.bfq.weight'), value: String(weight), why: '--blkio-weight: its share of block I/O when disks are contended (BFQ, 10..1000)' };
  return { file: join(dir, 'io.weight'), value: String(blkioToIoWeight(weight)), why: `--blkio-weight ${weight} as an io.weight from 1 to 10000 (runc's conversion)` };
}

/** A space-separated controller list file (cgroup.controllers, cgroup.subtree_control); none if unreadable. */
function listIn(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
}
