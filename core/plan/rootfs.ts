import { mkdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { KitError } from '../errors';
import type { ContainerSpec } from '../spec';
import type { ContainerRoot } from '../storage/container-root';
import { devSteps } from './dev';
import { kernelFilesystemSteps } from './kernel-filesystems';
import { maskedPathSteps } from './masked-paths';
import type { ContainerStep, HostStep, PlanPart } from './plan';
import { bindSelfStep, rootSwitchSteps } from './root-switch';
import { placeRootfs } from './rootfs-path';

/**
 * An image as the container's root filesystem. On the host, the storage
 * driver makes the rootfs directory from the image's layers (journaled, so
 * it goes away with the container). Inside, after mounts were made private:
 * the rootfs becomes a mount point, gets /proc, /sys, /dev, then becomes "/"
 * (pivot_root, or chroot for the chroot chapter), then what runc masks is
 * masked. Without an image the container keeps the host's "/" (proc.ts).
 */
export function planRootfs(spec: ContainerSpec, root: ContainerRoot | undefined, etcFiles: PlanPart): PlanPart {
  if (!spec.image || !root) return {};
  if (!spec.namespaces.includes('mount')) {
    throw new KitError(`image '${spec.image}' needs a mount namespace`, 'add `mount` to the namespaces: the rootfs mounts must not land on the host');
  }
  const container: ContainerStep[] = [
    ...(spec.rootSwitch === 'chroot' ? [] : [bindSelfStep()]),
    ...kernelFilesystemSteps(spec),
    ...devSteps(),
    ...(etcFiles.container ?? []),
    ...rootSwitchSteps(spec),
    ...maskedPathSteps(),
    ...workdirSteps(spec),
  ];
  placeRootfs(container, root.rootfs);
  return { prepare: [root.step, ...workdirCreation(spec, root.rootfs), ...(etcFiles.prepare ?? [])], container };
}

/** As Docker does, a missing working directory is created, inside the container's own layer. */
function workdirCreation(spec: ContainerSpec, rootfs: string): HostStep[] {
  if (!spec.workdir) return [];
  const dir = join(rootfs, posix.resolve('/', spec.workdir));
  return [{ why: `create the working directory ${spec.workdir} in the container's layer`, run: () => void mkdirSync(dir, { recursive: true }) }];
}

function workdirSteps(spec: ContainerSpec): ContainerStep[] {
  if (!spec.workdir || posix.resolve('/', spec.workdir) === '/') return [];
  return [{ op: 'chdir', path: posix.resolve('/', spec.workdir), why: 'the working directory (-w, or the image\'s WorkingDir)' }];
}
