import { existsSync, readdirSync } from 'node:fs';
import { release } from 'node:os';
import type { KitPaths } from './paths';
import { backingFilesystem } from './storage/backing-fs';
import { chooseDriver, DRIVERS } from './storage/drivers';
import { hasFilesystem } from './support';

/** What `kit info` reports, in the spirit of `docker info`. */
export interface SystemInfo {
  storageDriver: string | null;
  /** Why that driver (or why none works). */
  storageReason: string;
  drivers: Array<{ name: string; usable: boolean; problem: string | null }>;
  dataDir: string;
  backingFilesystem: string | null;
  cgroupVersion: '1' | '2' | '1 (hybrid: cgroup2 also mounted, with no controllers)';
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
      return { name: d.name, usable: !problem, problem: problem ?? null };
    }),
    dataDir: paths.data,
    backingFilesystem: backingFilesystem(paths.data) ?? null,
    cgroupVersion: cgroupVersion(),
    cgroupDriver: 'cgroupfs',
    kernel: release(),
    namespaces: existsSync('/proc/self/ns') ? readdirSync('/proc/self/ns').filter((n) => !n.endsWith('_for_children')).sort() : [],
    unionFilesystems: { overlay: hasFilesystem('overlay'), aufs: hasFilesystem('aufs') },
  };
}

/**
 * cgroup2 mounted at /sys/fs/cgroup: v2 only. Otherwise v1 controllers each
 * have their own hierarchy; with /sys/fs/cgroup/unified also there, the host
 * is "hybrid".
 */
function cgroupVersion(): SystemInfo['cgroupVersion'] {
  if (backingFilesystem('/sys/fs/cgroup/') === 'cgroup2' && !existsSync('/sys/fs/cgroup/unified')) return '2';
  if (existsSync('/sys/fs/cgroup/unified') && backingFilesystem('/sys/fs/cgroup/unified') === 'cgroup2') return '1 (hybrid: cgroup2 also mounted, with no controllers)';
  return '1';
}
