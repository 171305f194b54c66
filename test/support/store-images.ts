import { ImageStore, type Image } from '../../core/image/store';
import type { KitPaths } from '../../core/paths';
import { storeLayer } from '../../core/storage/containers';

export { busyboxLayer } from '../../core/curriculum/demo-image';

/**
 * Test images made straight through the store (the base image and tar
 * import are another part's): layers are written by `fill` functions.
 */
export async function imageOf(paths: KitPaths, name: string, layers: Array<(dir: string) => void>): Promise<Image> {
  const store = new ImageStore(paths);
  const digests: string[] = [];
  for (const [index, fill] of layers.entries()) digests.push((await storeLayer(paths, store, `test layer ${index + 1}`, fill)).digest);
  const image: Image = { name, layers: digests, config: {}, created: new Date().toISOString(), history: digests.map((_, i) => ({ createdBy: `test layer ${i + 1}` })) };
  store.save(image);
  return image;
}
