import { newContainerId } from '../engine/run';
import { withHostChanges } from '../engine/session';
import { ImageStore, type Image } from '../image/store';
import type { KitPaths } from '../paths';
import type { ContainerSpec } from '../spec';
import { containerLayerDir } from '../storage/containers';
import { layersDemoImage } from './demo-image';
import type { StorageDriver } from '../storage/driver';
import { chooseDriver, driverOrFallback } from '../storage/drivers';

/** A chapter that runs its container on the layered demo image. */
export interface ChapterStorage {
  /** The driver the chapter is about; when the kernel lacks it, kit falls back as Docker does. */
  driver?: StorageDriver['name'];
}

/** What the storage probes look at. */
export interface StorageView {
  driver: StorageDriver['name'];
  reason: string;
  image: Image;
  /** The image's layer dirs, bottom first. */
  lowers: string[];
  /** The container's dir and its root filesystem (merged dir, or vfs copy). */
  dir: string;
  rootfs: string;
  upper?: string;
}

/** The container of a storage chapter: its id, the spec fields that give it the layered root, and what the probes see. */
export interface ChapterContainer {
  id: string;
  spec: Pick<ContainerSpec, 'image' | 'storageDriver' | 'keepLayer'>;
  view: StorageView;
}

/**
 * Run a storage chapter's container on the demo image, through kit run's own
 * rootfs path (the driver's mount is a prepare step of the container's plan,
 * then pivot_root). The container layer is kept past the container's end so
 * the `after` probes can show what it wrote, and removed when `run` is done:
 * journaled in a session of its own, so a killed kit leaves nothing either.
 */
export async function withChapterStorage<T>(
  request: ChapterStorage,
  /** --storage-driver: must work here, no fallback. */
  asked: string | undefined,
  paths: KitPaths,
  run: (container: ChapterContainer) => Promise<T>,
): Promise<T> {
  const image = await layersDemoImage(paths);
  const { driver, reason } = asked || !request.driver ? chooseDriver(paths, asked) : driverOrFallback(paths, request.driver);
  const id = newContainerId();
  const dir = containerLayerDir(paths, id);
  const view: StorageView = {
    driver: driver.name,
    reason,
    image,
    lowers: new ImageStore(paths).layerDirs(image),
    dir,
    rootfs: driver.rootfsDir(dir),
    upper: driver.upperDir(dir),
  };
  return withHostChanges(
    'kit-chapter',
    (ctx) => {
      ctx.changes.make({ op: 'remove', path: dir }, () => undefined);
      // btrfs keeps the container's snapshot outside its dir: deleted first (and the filesystem, if it was the last).
      if (driver.name === 'btrfs') ctx.changes.make({ op: 'btrfs-release', path: dir }, () => undefined);
      return run({ id, spec: { image: image.name, storageDriver: driver.name, keepLayer: true }, view });
    },
    { paths },
  );
}
