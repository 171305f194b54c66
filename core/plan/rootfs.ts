import { posix } from 'node:path';
import { KitError } from '../errors';
import { hasNamespace, type ContainerSpec } from '../spec';
import type { ContainerRoot } from '../storage/container-root';
import { mkdirInRoot, mountPointInRoot } from '../storage/in-root';
import { MS } from '../linux';
import { devSteps } from './dev';
import { kernelFilesystemSteps } from './kernel-filesystems';
import { maskedPathSteps } from './masked-paths';
import { confinement } from '../security/options';
import type { ContainerStep, HostStep, PlanPart } from './plan';
import { bindSelfStep, rootSwitchSteps } from './root-switch';
import { placeRootfs } from './rootfs-path';
import { sysctlSteps } from './sysctl';

/**
 * An image as the container's root filesystem. On the host, the storage
 * driver makes the rootfs directory from the image's layers (journaled, so
 * it goes away with the container). Inside, after mounts were made private:
 * the rootfs becomes a mount point, gets /proc, /sys, /dev, then becomes "/"
 * (pivot_root, or chroot for the chroot chapter), then what runc masks is
 * masked. Without an image the container keeps the host's "/" (proc.ts).
 */
export function planRootfs(spec: ContainerSpec, root: ContainerRoot | undefined, etcFiles: PlanPart, mounts: PlanPart = {}): PlanPart {
  if (!(spec.image || spec.rootDir) || !root) {
    if (spec.sysctls && Object.keys(spec.sysctls).length) throw new KitError('sysctls need an image: kit writes them in the container\'s own /proc, mounted in its root filesystem', 'run an image, or drop --sysctl');
    return {};
  }
  if (!hasNamespace(spec, 'mount')) {
    throw new KitError(`${spec.rootDir ? `root directory ${spec.rootDir}` : `image '${spec.image}'`} needs a mount namespace`, 'add `mount` to the namespaces: the rootfs mounts must not land on the host');
  }
  const container: ContainerStep[] = [
    ...(spec.rootSwitch === 'chroot' ? [] : [bindSelfStep()]),
    ...kernelFilesystemSteps(spec),
    ...devSteps(spec),
    ...(etcFiles.container ?? []),
    ...(mounts.container ?? []),
    ...rootSwitchSteps(spec),
    ...sysctlSteps(spec),
    ...(confinement(spec.security).maskPaths ? maskedPathSteps(spec.security?.paths) : []),
    ...readOnlySteps(spec),
    ...workdirSteps(spec),
  ];
  placeRootfs(container, root.rootfs);
  return { prepare: [root.step, mountPoints(root.rootfs), ...workdirCreation(spec, root.rootfs), ...(etcFiles.prepare ?? []), ...(mounts.prepare ?? [])], container };
}

/**
 * An image need not have /proc, /sys or /dev (one built FROM scratch holds
 * a static binary and nothing else): as runc does, the mount points are
 * made, in the container's own layer, never in the image's shared layers.
 */
function mountPoints(rootfs: string): HostStep {
  return { why: "create the mount points the image lacks (/proc, /sys, /dev) in the container's layer", run: () => ['/proc', '/sys', '/dev'].forEach((p) => mountPointInRoot(rootfs, p)) };
}

/** As Docker does, a missing working directory is created, inside the container's own layer (symlinks resolved within the root). */
function workdirCreation(spec: ContainerSpec, rootfs: string): HostStep[] {
  if (!spec.workdir) return [];
  return [{ why: `create the working directory ${spec.workdir} in the container's layer`, run: () => void mkdirInRoot(rootfs, posix.resolve('/', spec.workdir as string)) }];
}

/**
 * docker run --read-only: once everything is mounted on it, "/" (the bind
 * mount pivot_root made the root) is remounted read-only, as runc does last.
 * Only that mount changes: -v, --tmpfs and /proc, /dev stay as they were.
 */
function readOnlySteps(spec: ContainerSpec): ContainerStep[] {
  if (!spec.readOnly) return [];
  if (spec.rootSwitch === 'chroot') throw new KitError('--read-only needs pivot_root', 'a chroot root is no mount of its own to remount read-only');
  return [{ op: 'mount', source: '', target: '/', fstype: '', flags: MS.BIND | MS.REMOUNT | MS.RDONLY, data: '', why: '--read-only: remount the root filesystem read-only (writes there fail with EROFS)' }];
}

function workdirSteps(spec: ContainerSpec): ContainerStep[] {
  if (!spec.workdir || posix.resolve('/', spec.workdir) === '/') return [];
  return [{ op: 'chdir', path: posix.resolve('/', spec.workdir), why: 'the working directory (-w, or the image\'s WorkingDir)' }];
}
