import { mkdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { KitError } from '../errors';
import { ImageStore } from '../image/store';
import { containerDir, type KitPaths } from '../paths';
import type { ContainerSpec } from '../spec';
import type { StorageDriver } from '../storage/driver';
import { selectDriver } from '../storage/select';
import { devSteps } from './dev';
import { kernelFilesystemSteps } from './kernel-filesystems';
import { maskedPathSteps } from './masked-paths';
import type { ContainerStep, HostContext, PlanPart } from './plan';
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
export function planRootfs(spec: ContainerSpec, paths: KitPaths): PlanPart {
  if (!spec.image) return {};
  if (!spec.namespaces.includes('mount')) {
    throw new KitError(`image '${spec.image}' needs a mount namespace`, 'add `mount` to the namespaces: the rootfs mounts must not land on the host');
  }
  const store = new ImageStore(paths);
  const image = store.get(spec.image);
  const container: ContainerStep[] = [
    ...(spec.rootSwitch === 'chroot' ? [] : [bindSelfStep()]),
    ...kernelFilesystemSteps(spec),
    ...devSteps(),
    ...rootSwitchSteps(spec),
    ...maskedPathSteps(),
    ...workdirSteps(spec),
  ];
  const driver = selectDriver();
  return {
    prepare: [
      {
        why: `make the container's root filesystem from image '${image.name}' (storage driver ${driver.name})`,
        run: (ctx) => placeRootfs(container, createRootfs(ctx, driver, store.layerDirs(image), spec)),
      },
    ],
    container,
  };
}

function createRootfs(ctx: HostContext, driver: StorageDriver, layers: string[], spec: ContainerSpec): string {
  const rootfs = driver.createRootfs(ctx, layers, containerDir(ctx.paths, ctx.id));
  // As Docker does, a missing working directory is created (inside the
  // container's own rootfs, so it goes away with it).
  if (spec.workdir) mkdirSync(join(rootfs, posix.resolve('/', spec.workdir)), { recursive: true });
  return rootfs;
}

function workdirSteps(spec: ContainerSpec): ContainerStep[] {
  if (!spec.workdir || posix.resolve('/', spec.workdir) === '/') return [];
  return [{ op: 'chdir', fields: [posix.resolve('/', spec.workdir)], why: 'the working directory (-w, or the image\'s WorkingDir)' }];
}
