import { KitError } from '../core';
import type { Lab } from './lab';
import cgroup from './cgroup/check';
import chroot from './chroot/check';
import final from './final/check';
import host from './host/check';
import ipc from './ipc/check';
import layers from './layers/check';
import limits from './limits/check';
import mount from './mount/check';
import net from './net/check';
import pid from './pid/check';
import rootfs from './rootfs/check';
import user from './user/check';
import uts from './uts/check';

/**
 * The labs: every folder here with a check module is one, listed here
 * (test/unit/catalogs.test.ts fails when one is missing). A list, not a read
 * of the folder, so the CLI can be one bundled file (bin/bundle.js).
 */
const LABS: Lab[] = [cgroup, chroot, final, host, ipc, layers, limits, mount, net, pid, rootfs, user, uts];

export function loadLabs(): Lab[] {
  return [...LABS].sort((a, b) => a.order - b.order);
}

export function findLab(id: string): Lab {
  const labs = loadLabs();
  const lab = labs.find((l) => l.id === id);
  if (!lab) throw new KitError(`no lab '${id}'`, `valid labs: ${labs.map((l) => l.id).join(', ')} (list them with \`kit lab\`)`);
  return lab;
}
