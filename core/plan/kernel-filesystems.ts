import { MS } from '../linux';
import { hasNamespace, hasOwnNetworkNamespace, type ContainerSpec } from '../spec';
import type { ContainerStep } from './plan';
import { inRootfs } from './rootfs-path';

const SAFE = MS.NOSUID | MS.NODEV | MS.NOEXEC;

/**
 * /proc and /sys inside the rootfs, mounted before the root changes (the
 * host paths are still reachable). procfs shows the PID namespace of its
 * mounter. sysfs shows the network namespace of its mounter, so a fresh one
 * is mounted only in a new net namespace; otherwise the host's is bound,
 * without its submounts (no cgroup filesystems), as runc does. Read-only
 * either way: /sys holds the host's hardware and kernel knobs.
 */
export function kernelFilesystemSteps(spec: ContainerSpec): ContainerStep[] {
  const proc: ContainerStep = {
    op: 'mount',
    source: 'proc', target: inRootfs('/proc'), fstype: 'proc', flags: SAFE, data: '',
    why: "a procfs of the container's own PID namespace at the image's /proc",
  };
  if (hasOwnNetworkNamespace(spec)) {
    return [proc, { op: 'mount', source: 'sysfs', target: inRootfs('/sys'), fstype: 'sysfs', flags: SAFE | MS.RDONLY, data: '', why: "a read-only sysfs of the container's own network namespace" }];
  }
  return [
    proc,
    hasNamespace(spec, 'user')
      ? { op: 'mount', source: '/sys', target: inRootfs('/sys'), fstype: '', flags: MS.BIND | MS.REC, data: '', why: "no new net namespace: bind the host's /sys with its submounts (in a user namespace they are locked to it: a bind without them is refused)" }
      : { op: 'mount', source: '/sys', target: inRootfs('/sys'), fstype: '', flags: MS.BIND, data: '', why: "no new net namespace: a fresh sysfs would be the host's anyway, so bind the host's /sys (without its cgroup submounts)" },
    { op: 'mount', source: '', target: inRootfs('/sys'), fstype: '', flags: MS.BIND | MS.REMOUNT | MS.RDONLY | SAFE, data: '', why: 'make that bind read-only: the container may read /sys, not change the host through it' },
  ];
}
