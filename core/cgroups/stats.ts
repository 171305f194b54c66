import { totalmem } from 'node:os';
import { readUsage, type Usage, type UsageDirs } from './usage';

/** What `kit stats` shows for one container's cgroups: `docker stats`'s columns, as numbers. */
export interface CgroupStats {
  /** CPU time used over the sampling window, as a % of one CPU (200% = two CPUs busy). */
  cpuPercent: number | null;
  /** Bytes charged to the cgroup: memory.usage_in_bytes (v1), memory.current (v2). */
  memoryUsage: number | null;
  /** --memory, or the host's total memory when there is none (what Docker shows then). */
  memoryLimit: number;
  /** Whether memoryLimit is the container's own limit rather than the host's memory. */
  memoryLimited: boolean;
  memoryPercent: number | null;
  /** Processes in the cgroup: pids.current. */
  pids: number | null;
  /** pids.max; null: "max", no limit. */
  pidsLimit: number | null;
}

/** One reading of a cgroup's counters, and when it was taken. */
export interface UsageSample {
  usage: Usage;
  atNs: bigint;
}

export function sampleUsage(dirs: UsageDirs): UsageSample {
  return { usage: readUsage(dirs), atNs: process.hrtime.bigint() };
}

/**
 * The stats between two samples. The CPU counter only ever grows, so as
 * `docker stats` does kit reads it twice: the CPU time used between them
 * over the wall-clock time between them. Memory and pids are the latest.
 */
export function statsBetween(first: UsageSample, last: UsageSample, hostMemory = totalmem()): CgroupStats {
  const { usage } = last;
  const wallUsec = Number(last.atNs - first.atNs) / 1000;
  const cpuUsec = usage.cpuUsec === undefined || first.usage.cpuUsec === undefined ? undefined : usage.cpuUsec - first.usage.cpuUsec;
  // "No limit" reads as "max" on v2 and as the largest page-aligned number on v1.
  const memoryLimited = usage.memoryLimit !== undefined && usage.memoryLimit < hostMemory;
  const memoryLimit = memoryLimited ? usage.memoryLimit! : hostMemory;
  return {
    cpuPercent: cpuUsec === undefined || wallUsec <= 0 ? null : round2((cpuUsec / wallUsec) * 100),
    memoryUsage: usage.memoryBytes ?? null,
    memoryLimit,
    memoryLimited,
    memoryPercent: usage.memoryBytes === undefined ? null : round2((usage.memoryBytes / memoryLimit) * 100),
    pids: usage.pids ?? null,
    pidsLimit: usage.pidsLimit ?? null,
  };
}

/** Docker prints percentages with two decimals. */
function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
