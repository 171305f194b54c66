import { existsSync, readdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { KitError } from '../errors';
import type { CgroupDriver } from './driver';
import { V1Driver } from './v1';
import { V2Driver } from './v2';

/** statfs(2) f_type values (<linux/magic.h>): what is mounted at a path. */
const FS_MAGIC = { cgroup2: 0x63677270, cgroup: 0x27e0eb, tmpfs: 0x01021994 } as const;

export const CGROUP_ROOT = '/sys/fs/cgroup';

/**
 * What this host mounts at /sys/fs/cgroup, the way `stat -f` tells it:
 * - v2: a cgroup2 filesystem there, all controllers in one tree
 * - v1: a tmpfs holding one cgroup filesystem per controller
 * - hybrid: v1 controllers plus a cgroup2 tree at unified/ (often with no
 *   controllers: systemd uses it only to track processes)
 */
export interface CgroupHost {
  layout: 'v1' | 'v2' | 'hybrid';
  /** The filesystem at the root: cgroup2fs or tmpfs. */
  rootFs: string;
  /** v1 controllers, each mounted as <root>/<name>. */
  v1Controllers: string[];
  /** Where the cgroup2 tree is mounted, if anywhere. */
  v2Root?: string;
  /** The cgroup2 root's controllers (cgroup.controllers). */
  v2Controllers: string[];
  /** The ones it delegates to its children, kit/ among them (cgroup.subtree_control). */
  v2Delegated: string[];
}

export function detectHost(root = CGROUP_ROOT): CgroupHost {
  const type = fsType(root);
  if (type === FS_MAGIC.cgroup2) {
    const v2 = new V2Driver(root);
    return { layout: 'v2', rootFs: 'cgroup2fs', v1Controllers: [], v2Root: root, v2Controllers: v2.offered(), v2Delegated: v2.available() };
  }
  const v1Controllers = v1ControllersAt(root);
  const unified = join(root, 'unified');
  const v2Root = fsType(unified) === FS_MAGIC.cgroup2 ? unified : undefined;
  const v2 = v2Root ? new V2Driver(v2Root) : undefined;
  return {
    layout: v2Root ? 'hybrid' : 'v1',
    rootFs: type === FS_MAGIC.tmpfs ? 'tmpfs' : `0x${type.toString(16)}`,
    v1Controllers,
    v2Root,
    v2Controllers: v2?.offered() ?? [],
    v2Delegated: v2?.available() ?? [],
  };
}

/**
 * The driver for this host: the hierarchy that holds the controllers (on a
 * hybrid host, v1), unless `forced` picks the other one to compare them.
 */
export function chooseDriver(host: CgroupHost, forced?: 'v1' | 'v2'): CgroupDriver {
  if (forced === 'v2' && host.v2Root === undefined) {
    throw new KitError('--cgroup-driver v2: this host has no cgroup2 filesystem mounted', `it is a ${host.layout} host; use --cgroup-driver v1 or leave the flag out`);
  }
  const v2 = host.v2Root !== undefined && (forced === 'v2' || (forced === undefined && (host.layout === 'v2' || host.v1Controllers.length === 0)));
  if (v2) return new V2Driver(host.v2Root!);
  return new V1Driver(CGROUP_ROOT, host.v1Controllers);
}

/** Each cgroup v1 mount under the root is named after its controllers (cpu, cpu,cpuacct, name=systemd...). */
function v1ControllersAt(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => !name.includes(',') && fsType(join(root, name)) === FS_MAGIC.cgroup)
    .filter((name) => name !== 'systemd'); // name=systemd: a hierarchy with no controller
}

function fsType(path: string): number {
  try {
    return statfsSync(path).type;
  } catch {
    return 0;
  }
}
