import { basename, join, posix } from 'node:path';
import { realpathSync } from 'node:fs';
import { containerCgroups } from '../cgroups/container';
import { MS } from '../linux';
import type { ContainerSpec, Mount } from '../spec';
import type { ContainerStep } from './plan';
import { inRootfs } from './rootfs-path';

const FLAGS = MS.NOSUID | MS.NODEV | MS.NOEXEC;

/**
 * An OCI config's cgroup mount (Docker's and podman's /sys/fs/cgroup): the
 * container sees its own cgroups there, and only those, as runc shows them.
 * - cgroup v2 with a cgroup namespace: a fresh cgroup2 mount, whose root is
 *   the namespace's, the container's own cgroup (kit-init unshared it first).
 * - cgroup v2 without one: the container's directory bound there.
 * - cgroup v1: a tmpfs holding one read-only bind of the container's
 *   directory per hierarchy (cpu,cpuacct ...), with runc's symlinks for
 *   co-mounted controllers (cpu -> cpu,cpuacct); then the tmpfs itself is
 *   made read-only if the mount asks.
 * Without cgroups of its own there is nothing of its own to show: an empty
 * tmpfs, so nothing of the host's hierarchy is reachable.
 */
export function cgroupMountSteps(spec: ContainerSpec, id: string, mount: Mount): ContainerStep[] {
  const target = inRootfs(mount.target);
  const ro = mount.readOnly ? MS.RDONLY : 0;
  const cgroups = containerCgroups(spec, id);
  if (!cgroups) {
    return [{ op: 'mount', source: 'tmpfs', target, fstype: 'tmpfs', flags: FLAGS | MS.RDONLY, data: 'mode=755', why: `the config asks for the cgroup filesystem at ${mount.target}, but the container has no cgroup of its own (no linux.resources, no cgroupsPath): an empty read-only tmpfs, so nothing of the host's hierarchy is reachable` }];
  }
  if (cgroups.driver.version === 'v2') {
    const dir = cgroups.dirs[0].path;
    if (spec.namespaces.includes('cgroup')) {
      return [{ op: 'mount', source: 'cgroup2', target, fstype: 'cgroup2', flags: FLAGS | ro, data: '', why: `the cgroup2 filesystem at ${mount.target}, mounted inside the cgroup namespace: its root is the namespace's, the container's own cgroup ${dir}` }];
    }
    return bindReadOnly(dir, target, ro, `the container's own cgroup ${dir} bound at ${mount.target} (no cgroup namespace: a fresh cgroup2 mount would show the host's whole tree)`);
  }
  const steps: ContainerStep[] = [{ op: 'mount', source: 'tmpfs', target, fstype: 'tmpfs', flags: FLAGS, data: 'mode=755', why: `cgroup v1 at ${mount.target}: a tmpfs to hold one mount per hierarchy, as runc makes it` }];
  for (const dir of cgroups.dirs) {
    const name = basename(realpathSync.native(join(cgroups.driver.root, dir.controllers[0])));
    const at = posix.join(target, name);
    steps.push({ op: 'mkdir', path: at, mode: 0o755, why: `the mount point of the ${name} hierarchy` });
    steps.push(...bindReadOnly(dir.path, at, ro, `the container's own ${name} cgroup ${dir.path}, bound at ${posix.join(mount.target, name)}: its files are its limits and usage`));
    for (const controller of dir.controllers.filter((c) => c !== name)) {
      steps.push({ op: 'symlink', target: name, linkpath: posix.join(target, controller), why: `${controller} is co-mounted in ${name}: a symlink, as on the host` });
    }
  }
  if (ro) steps.push({ op: 'mount', source: '', target, fstype: '', flags: MS.REMOUNT | FLAGS | MS.RDONLY, data: '', why: `then the tmpfs at ${mount.target} itself read-only, as the config asks` });
  return steps;
}

function bindReadOnly(source: string, target: string, ro: number, why: string): ContainerStep[] {
  const steps: ContainerStep[] = [{ op: 'mount', source, target, fstype: '', flags: MS.BIND, data: '', why }];
  if (ro) steps.push({ op: 'mount', source: '', target, fstype: '', flags: MS.BIND | MS.REMOUNT | MS.RDONLY | FLAGS, data: '', why: '...then that bind remounted read-only (nosuid, nodev, noexec), as the config asks' });
  return steps;
}
