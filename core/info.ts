import { existsSync, readdirSync } from 'node:fs';
import { release } from 'node:os';
import type { KitPaths } from './paths';
import { detectHost } from './cgroups/detect';
import { backingFilesystem } from './storage/backing-fs';
import { poolUsage, type PoolUsage } from './storage/dm-thin';
import { chooseDriver, DRIVERS } from './storage/drivers';
import { hasFilesystem } from './support';

/** What `kit info` reports, in the spirit of `docker info`. */
export interface SystemInfo {
  storageDriver: string | null;
  /** Why that driver (or why none works). */
  storageReason: string;
  /** Every driver of the seed, in Docker's order: usable here or the exact reason not, and why Docker would not pick a usable one itself. */
  drivers: Array<{ name: string; usable: boolean; problem: string | null; notChosen: string | null }>;
  dataDir: string;
  backingFilesystem: string | null;
  /** devicemapper's thin pool for this data dir, once made: space used in its sparse files (what `docker info` showed). */
  devicemapperPool: PoolUsage | null;
  /** '2 (...)' naming the controllers and those delegated to kit/, '1', or '1 (hybrid: ...)' naming the controllers the cgroup2 beside v1 holds. */
  cgroupVersion: string;
  /** kit writes cgroup files itself, as Docker's cgroupfs driver does (systemd is Docker's other). */
  cgroupDriver: 'cgroupfs';
  kernel: string;
  namespaces: string[];
  /** The union filesystems the kernel lists in /proc/filesystems. */
  unionFilesystems: Record<'overlay' | 'aufs', boolean>;
}

export function systemInfo(paths: KitPaths): SystemInfo {
  let storageDriver: string | null = null;
  let storageReason: string;
  try {
    const choice = chooseDriver(paths);
    storageDriver = choice.driver.name;
    storageReason = choice.reason;
  } catch (err) {
    storageReason = (err as Error).message;
  }
  return {
    storageDriver,
    storageReason,
    drivers: DRIVERS.map((d) => {
      const problem = d.unsupported(paths);
      return { name: d.name, usable: !problem, problem: problem ?? null, notChosen: (!problem && d.notChosen?.(paths)) || null };
    }),
    dataDir: paths.data,
    backingFilesystem: backingFilesystem(paths.data) ?? null,
    devicemapperPool: poolUsage(paths) ?? null,
    cgroupVersion: cgroupVersion(),
    cgroupDriver: 'cgroupfs',
    kernel: release(),
    namespaces: existsSync('/proc/self/ns') ? readdirSync('/proc/self/ns').filter((n) => !n.endsWith('_for_children')).sort() : [],
    unionFilesystems: { overlay: hasFilesystem('overlay'), aufs: hasFilesystem('aufs') },
  };
}

/**
 * cgroup2 mounted at /sys/fs/cgroup: v2 only. Otherwise v1 controllers each
 * have their own hierarchy; with a cgroup2 also at /sys/fs/cgroup/unified, the
 * host is "hybrid", and that cgroup2 may hold controllers v1 does not use.
 */
function cgroupVersion(): string {
  const host = detectHost();
  if (host.layout === 'v2') return `2 (controllers: ${host.v2Controllers.join(' ') || 'none'}; delegated to kit/: ${host.v2Delegated.join(' ') || 'none'})`;
  if (host.layout === 'hybrid') return `1 (hybrid: cgroup2 also mounted at ${host.v2Root}, its controllers: ${host.v2Controllers.join(' ') || 'none'})`;
  return '1';
}
