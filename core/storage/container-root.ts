import type { IdMaps } from '../userns/id-map';
import { ImageStore } from '../image/store';
import type { KitPaths } from '../paths';
import type { HostStep } from '../plan/plan';
import { containerLayerDir, createContainerLayer, imageOfContainer } from './containers';
import { chooseDriver, type DriverChoice } from './drivers';

export interface ContainerRoot {
  /** The prepare step that makes the root (mounts it, for overlay2). */
  step: HostStep;
  /** Where the root will be: what pivot_root or chroot enters. */
  rootfs: string;
  /** The storage driver that makes it; none for a host directory used as-is. */
  driver?: DriverChoice;
}

/**
 * What `kit run` needs from storage, decided at plan time so that a bad
 * driver or image fails before anything on the host changes. keep=false
 * (`--rm`, chapters) removes the container layer when the container ends;
 * keep=true leaves it for `kit diff`, `kit commit` and `kit rm`.
 */
export function containerRoot(paths: KitPaths, id: string, imageName: string, requestedDriver: string | undefined, keep: boolean, userns?: { maps?: IdMaps }): ContainerRoot {
  const store = new ImageStore(paths);
  // A kept container started again: the layers it was made from, whatever the name means now.
  const image = imageOfContainer(paths, store, id) ?? store.get(imageName);
  const driver = chooseDriver(paths, requestedDriver);
  return {
    driver,
    rootfs: driver.driver.rootfsDir(containerLayerDir(paths, id)),
    step: {
      why: `${driver.driver.name}: make the container's root from the ${image.layers.length} layer(s) of ${image.name}`,
      // In a user namespace the maps are known by now (its prepare step runs first).
      run: (ctx) => void createContainerLayer(ctx, store, image, driver.driver, keep, userns?.maps),
    },
  };
}

/**
 * A host directory as the root, used as-is (an OCI bundle's root.path, as
 * runc does): nothing to make, and nothing removed when the container ends.
 */
export function hostDirRoot(dir: string): ContainerRoot {
  return { rootfs: dir, step: { why: `use the directory ${dir} as the container's root, as it is`, run: () => undefined } };
}
