import { cpus } from 'node:os';
import { KitError } from '../errors';
import { checkBlkioDevices, hasBlkioDevices, type BlkioDevices } from './blkio-devices';

/**
 * A container's resource limits as `docker run` takes them (--cpu-quota,
 * --memory 64m ...), already parsed to numbers. Part of ContainerSpec.
 * Present (even empty) means: give the container cgroups of its own.
 */
export interface Resources {
  /** --cpu-quota: microseconds of CPU time per period. */
  cpuQuota?: number;
  /** --cpu-period: the period the quota is counted over, microseconds. */
  cpuPeriod?: number;
  /** --cpus: a number of CPUs, turned into a quota over the default period. */
  cpus?: number;
  /** --cpu-shares: relative weight when CPUs are contended (default 1024). */
  cpuShares?: number;
  /** --memory, bytes. */
  memory?: number;
  /** --memory-reservation: a soft limit, bytes; reclaim pushes the group back to it when memory runs short. */
  memoryReservation?: number;
  /** --memory-swap: memory plus swap, bytes; -1 = unlimited swap. */
  memorySwap?: number;
  /** --pids-limit. */
  pidsLimit?: number;
  /** --cpuset-cpus, e.g. "0" or "0-1". */
  cpusetCpus?: string;
  /** --blkio-weight: relative share of block I/O, 10..1000 (an OCI config's linux.resources.blockIO.weight). */
  blkioWeight?: number;
  /** Per-device block I/O weights and throttles (an OCI config's blockIO.weightDevice, throttle*Device). */
  blkioDevices?: BlkioDevices;
  /**
   * kit-runtime: put the container in the blkio hierarchy (v1) even without a
   * block I/O limit, so `kit-runtime update` can set one later (runc puts a
   * container in every hierarchy it knows).
   */
  updatable?: boolean;
  /** --oom-kill-disable: the OOM killer leaves the cgroup alone; it waits for memory instead (v1 only: v2 has no such switch). */
  oomKillDisable?: boolean;
  /** --cgroup-driver: use this hierarchy instead of the detected one (to compare them). */
  driver?: 'v1' | 'v2';
  /** An OCI config's cgroupsPath (kit-runtime): the container's cgroup under each hierarchy's root, instead of kit/<id>. */
  path?: string;
  /** A relative path's base, per hierarchy (v1 controller name, '' for v2): the cgroups of the kit-runtime that created it. */
  below?: Record<string, string>;
}

/** What the drivers write: Resources checked and with --cpus folded into quota/period. */
export type Limits = Omit<Resources, 'cpus' | 'driver' | 'path' | 'below'>;

/** The kernel's bounds (kernel/sched/core.c): 1 ms <= period <= 1 s, quota >= 1 ms, quota < 2^44 us. */
export const CPU_PERIOD = { min: 1000, max: 1_000_000, default: 100_000 } as const;
const CPU_QUOTA = { min: 1000, max: 2 ** 44 - 1 } as const;
const CPU_SHARES = { min: 2, max: 262_144 } as const;
/** Docker refuses less: below this a container cannot even start its runtime. */
const MEMORY_MIN = 6 * 1024 * 1024;
/** CFQ's and BFQ's weight range (blkio.weight, blkio.bfq.weight). */
const BLKIO_WEIGHT = { min: 10, max: 1000 } as const;
/** PID_MAX_LIMIT on 64-bit kernels. */
const PIDS_MAX = 4_194_304;

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** Docker's memory sizes: 64m, 1g, 512k, 1048576 (binary units, an optional trailing b). */
export function parseBytes(flag: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)b?$/i.exec(value.trim());
  if (!match) throw bad(flag, value, 'a size like 64m, 512k, 1g or a number of bytes');
  const bytes = Math.floor(Number(match[1]) * UNITS[match[2].toLowerCase()]);
  if (!Number.isSafeInteger(bytes)) throw bad(flag, value, `a size up to ${Number.MAX_SAFE_INTEGER} bytes`);
  return bytes;
}

export function parseNumber(flag: string, value: string, integer: boolean): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw bad(flag, value, integer ? 'a whole number' : 'a number');
  }
  return n;
}

/** Check every value against the range the kernel (or Docker) accepts, before anything is created. */
export function toLimits(r: Resources, hostCpus?: number): Limits {
  // os.cpus() reads /proc/cpuinfo (milliseconds on a VM): only when a flag is checked against it.
  const host = () => hostCpus ?? cpus().length;
  if (r.cpus !== undefined && (r.cpuQuota !== undefined || r.cpuPeriod !== undefined)) {
    throw new KitError('--cpus and --cpu-quota/--cpu-period both set the CFS quota', 'use one of them: --cpus 0.5 is --cpu-quota 50000 --cpu-period 100000');
  }
  inRange('--cpu-period', r.cpuPeriod, CPU_PERIOD.min, CPU_PERIOD.max, 'microseconds');
  inRange('--cpu-quota', r.cpuQuota, CPU_QUOTA.min, CPU_QUOTA.max, 'microseconds of CPU time per period');
  inRange('--cpu-shares', r.cpuShares, CPU_SHARES.min, CPU_SHARES.max, '(1024 is the default weight)');
  if (r.cpus !== undefined) inRange('--cpus', r.cpus, 0.01, host(), `CPUs (this host has ${host()})`);
  inRange('--memory', r.memory, MEMORY_MIN, Number.MAX_SAFE_INTEGER, 'bytes (at least 6m)');
  inRange('--memory-reservation', r.memoryReservation, 0, Number.MAX_SAFE_INTEGER, 'bytes');
  inRange('--pids-limit', r.pidsLimit, 1, PIDS_MAX, 'processes');
  inRange('--blkio-weight', r.blkioWeight, BLKIO_WEIGHT.min, BLKIO_WEIGHT.max, '(a relative share of block I/O)');
  checkSwap(r);
  checkBlkioDevices(r.blkioDevices);
  if (r.cpusetCpus !== undefined) checkCpuList(r.cpusetCpus, host());
  const fromCpus = r.cpus === undefined ? {} : { cpuQuota: Math.round(r.cpus * CPU_PERIOD.default), cpuPeriod: CPU_PERIOD.default };
  return {
    cpuQuota: r.cpuQuota,
    cpuPeriod: r.cpuPeriod,
    ...fromCpus,
    cpuShares: r.cpuShares,
    memory: r.memory,
    memorySwap: r.memorySwap,
    memoryReservation: r.memoryReservation,
    pidsLimit: r.pidsLimit,
    cpusetCpus: r.cpusetCpus,
    blkioWeight: r.blkioWeight,
    blkioDevices: r.blkioDevices,
    updatable: r.updatable,
    oomKillDisable: r.oomKillDisable,
  };
}

/**
 * Docker's --memory-swap is memory AND swap together, not swap alone:
 * --memory 64m --memory-swap 64m means no swap at all, -1 means unlimited.
 */
function checkSwap(r: Resources): void {
  if (r.memorySwap === undefined) return;
  if (r.memory === undefined) throw new KitError('--memory-swap needs --memory: it is the limit of memory plus swap together', 'add --memory, e.g. --memory 64m --memory-swap 128m');
  if (r.memorySwap !== -1 && r.memorySwap < r.memory) {
    throw new KitError(`--memory-swap ${r.memorySwap} is smaller than --memory ${r.memory}: it counts memory plus swap, so it must be at least --memory, or -1 for unlimited swap`);
  }
}

/** The cpu list syntax of cpuset.cpus ("0", "0-1", "0,2"), each CPU one this host has. */
function checkCpuList(list: string, hostCpus: number): void {
  const range = `CPUs 0-${hostCpus - 1}, as a list like 0 or 0-1 or 0,1`;
  if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(list)) throw bad('--cpuset-cpus', list, range);
  const numbers = list.split(/[,-]/).map(Number);
  if (numbers.some((n) => n >= hostCpus)) throw bad('--cpuset-cpus', list, range);
}

function inRange(flag: string, value: number | undefined, min: number, max: number, unit: string): void {
  if (value === undefined) return;
  if (!(value >= min && value <= max)) throw bad(flag, String(value), `a value from ${min} to ${max} ${unit}`);
}

function bad(flag: string, value: string, accepted: string): KitError {
  return new KitError(`${flag} ${JSON.stringify(value)} is not valid: it takes ${accepted}`);
}

/**
 * --cpu-shares (v1, 2..262144, default 1024) to cpu.weight (v2, 1..10000,
 * default 100): the linear map runc and Docker use, so 2 -> 1 and 262144 -> 10000.
 */
export function sharesToWeight(shares: number): number {
  return 1 + Math.floor(((shares - 2) * 9999) / 262_142);
}

/** Which controller each limit is enforced by (v1's names: blkio is v2's io), and the flag that asked for it. */
export function neededControllers(limits: Limits): Array<{ controller: string; flag: string }> {
  const needed: Array<{ controller: string; flag: string }> = [];
  if (limits.cpuQuota !== undefined || limits.cpuPeriod !== undefined) needed.push({ controller: 'cpu', flag: '--cpu-quota/--cpu-period/--cpus' });
  if (limits.cpuShares !== undefined) needed.push({ controller: 'cpu', flag: '--cpu-shares' });
  if (limits.memory !== undefined) needed.push({ controller: 'memory', flag: '--memory' });
  if (limits.memoryReservation !== undefined) needed.push({ controller: 'memory', flag: '--memory-reservation' });
  if (limits.pidsLimit !== undefined) needed.push({ controller: 'pids', flag: '--pids-limit' });
  if (limits.cpusetCpus !== undefined) needed.push({ controller: 'cpuset', flag: '--cpuset-cpus' });
  if (limits.blkioWeight !== undefined) needed.push({ controller: 'blkio', flag: '--blkio-weight' });
  if (hasBlkioDevices(limits.blkioDevices)) needed.push({ controller: 'blkio', flag: '--blkio-weight-device/--device-read-bps/...' });
  if (limits.oomKillDisable) needed.push({ controller: 'memory', flag: '--oom-kill-disable' });
  return needed;
}
