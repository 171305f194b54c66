import type { ChapterResult } from '../chapter';
import { withHostChanges } from '../engine/session';
import { ImageStore, type Image } from '../image/store';
import type { KitPaths } from '../paths';
import type { TraceEvent } from '../trace/event';
import { containerLayerDir, createContainerLayer } from './containers';
import { layersDemoImage } from './demo-image';
import type { StorageDriver } from './driver';
import { chooseDriver, driverOrFallback } from './drivers';

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

/**
 * Make the container's layered root before the chapter's container runs and
 * remove it (unmount, delete the container layer) after its last probe. The
 * storage calls join the chapter's trace: setup before the container's,
 * teardown after.
 */
export async function withChapterStorage(
  request: ChapterStorage,
  /** --storage-driver: must work here, no fallback. */
  asked: string | undefined,
  paths: KitPaths,
  onEvent: ((event: TraceEvent) => void) | undefined,
  run: (storage: StorageView) => Promise<ChapterResult>,
): Promise<ChapterResult> {
  const events: TraceEvent[] = [];
  let setupEnd = 0;
  const record = (event: TraceEvent) => {
    events.push(event);
    onEvent?.(event);
  };
  const result = await withHostChanges(
    'kit-chapter',
    async (ctx) => {
      const image = await layersDemoImage(paths);
      const { driver, reason } = asked || !request.driver ? chooseDriver(paths, asked) : driverOrFallback(paths, request.driver);
      const store = new ImageStore(paths);
      const rootfs = createContainerLayer(ctx, store, image, driver, false);
      const dir = containerLayerDir(paths, ctx.id);
      setupEnd = events.length;
      const lowers = image.layers.map((l) => store.layerDir(l));
      return run({ driver: driver.name, reason, image, lowers, dir, rootfs, upper: driver.upperDir(dir) });
    },
    { paths, onEvent: record },
  );
  return { ...result, trace: [...events.slice(0, setupEnd), ...result.trace, ...events.slice(setupEnd)] };
}
