import { containerCgroups, usageDirs } from '../cgroups/container';
import { sampleUsage, statsBetween, type CgroupStats, type UsageSample } from '../cgroups/stats';
import type { UsageDirs } from '../cgroups/usage';
import type { KitPaths } from '../paths';
import { listContainers } from './list';
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
}

type Nullable<T> = { [K in keyof T]: T[K] | null };

interface Watched {
  id: string;
  name: string;
  pid: number;
  dirs?: UsageDirs;
  first?: UsageSample;
}

/**
 * The running containers' usage, read from their cgroup files twice,
 * `intervalMs` apart. A container that ends meanwhile is left out.
 */
export async function containerStats(paths: KitPaths, intervalMs = STATS_INTERVAL_MS): Promise<ContainerStats[]> {
  const watched = runningContainers(paths).map((c) => ({ ...c, first: c.dirs && sampleUsage(c.dirs) }));
  if (watched.length === 0) return [];
  await new Promise((resolve) => setTimeout(resolve, intervalMs));
  const still = new Set(listContainers(paths).map((c) => c.id));
  return watched.filter((c) => still.has(c.id)).map((c) => ({
    id: c.id,
    name: c.name,
    pid: c.pid,
    cgroup: c.dirs?.version ?? null,
    ...(c.dirs && c.first ? statsBetween(c.first, sampleUsage(c.dirs)) : NO_CGROUP),
  }));
}

const NO_CGROUP: Nullable<CgroupStats> = { cpuPercent: null, memoryUsage: null, memoryLimit: null, memoryLimited: null, memoryPercent: null, pids: null, pidsLimit: null };

function runningContainers(paths: KitPaths): Watched[] {
  return listContainers(paths).flatMap((c) => {
    const state = c.pid === null ? undefined : readState(paths, c.id);
    if (!state || c.pid === null) return [];
    const cgroups = containerCgroups(state.spec, c.id);
    return [{ id: c.id, name: c.name, pid: c.pid, dirs: cgroups && usageDirs(cgroups) }];
  });
}
