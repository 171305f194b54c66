import { containerCgroups, usageDirs } from '../cgroups/container';
import { sampleUsage, statsBetween, type CgroupStats, type UsageSample } from '../cgroups/stats';
import type { UsageDirs } from '../cgroups/usage';
import { namespaceTraffic } from '../network/traffic';
import type { KitPaths } from '../paths';
import { listContainers, type ContainerInfo } from './list';
import { readState } from './state';

/** How long `kit stats` watches the CPU counters, like one refresh of `docker stats`. */
export const STATS_INTERVAL_MS = 1000;

/** One row of `kit stats`. The cgroup fields are null for a container kit gave no cgroup (a chapter without limits). */
export interface ContainerStats extends Nullable<CgroupStats> {
  id: string;
  name: string;
  pid: number;
  /** The hierarchy its cgroups are in; null: it has none of its own. */
  cgroup: 'v1' | 'v2' | null;
  /** NET I/O: bytes its network namespace received and sent (lo aside); null: it shares the host's. */
  netRxBytes: number | null;
  netTxBytes: number | null;
}

type Nullable<T> = { [K in keyof T]: T[K] | null };

/** A running container, and its cgroup counters' first reading when it has cgroups of its own. */
interface Watched {
  row: Pick<ContainerStats, 'id' | 'name' | 'pid' | 'cgroup'>;
  sampled?: { dirs: UsageDirs; first: UsageSample };
}

/**
 * The running containers' usage (those with these ids, if given), read from
 * their cgroup files twice, `intervalMs` apart. A container that ends
 * meanwhile is left out.
 */
export async function containerStats(paths: KitPaths, ids?: string[], intervalMs = STATS_INTERVAL_MS): Promise<ContainerStats[]> {
  const watched = listContainers(paths)
    .filter((c) => ids === undefined || ids.includes(c.id))
    .flatMap((c) => watch(paths, c));
  if (watched.length === 0) return [];
  await new Promise((resolve) => setTimeout(resolve, intervalMs));
  const still = new Set(listContainers(paths).map((c) => c.id));
  return watched
    .filter(({ row }) => still.has(row.id))
    .map(({ row, sampled }) => {
      const traffic = namespaceTraffic(row.pid);
      const cgroupStats = sampled ? statsBetween(sampled.first, sampleUsage(sampled.dirs)) : NO_CGROUP;
      return { ...row, ...cgroupStats, netRxBytes: traffic?.rxBytes ?? null, netTxBytes: traffic?.txBytes ?? null };
    });
}

const NO_CGROUP: Nullable<CgroupStats> = { cpuPercent: null, memoryUsage: null, memoryLimit: null, memoryLimited: null, memoryPercent: null, pids: null, pidsLimit: null };

/** A container that runs (it has a pid), with the first reading of its counters. */
function watch(paths: KitPaths, c: ContainerInfo): Watched[] {
  const state = readState(paths, c.id);
  if (c.pid === null || !state) return [];
  const cgroups = containerCgroups(state.spec, c.id);
  const dirs = cgroups && usageDirs(cgroups);
  const row = { id: c.id, name: c.name, pid: c.pid, cgroup: dirs?.version ?? null };
  return [{ row, sampled: dirs && { dirs, first: sampleUsage(dirs) } }];
}
