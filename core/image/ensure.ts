import { KitError } from '../errors';
import type { KitPaths } from '../paths';
import { BASE_IMAGE, buildBase, type Progress } from './base/build';
import { imageName } from './names';
import { ImageStore, type Image } from './store';

/** core prints nothing itself: a caller that wants the base build's steps shown passes where they go (bin/render/progress.ts). */
const silent: Progress = () => undefined;

/**
 * The image a container asks for. `base` is built on first use (and rebuilt
 * if its layer went missing), its steps told to `progress`; any other name
 * must be in the store, or the error lists the images that are.
 */
export async function ensureImage(paths: KitPaths, ref: string, progress: Progress = silent): Promise<Image> {
  const name = imageName(ref); // base:latest is base
  const store = new ImageStore(paths);
  if (name !== BASE_IMAGE) {
    if (!store.has(name)) throw noImage(store, name);
    return store.get(name);
  }
  if (store.has(name)) {
    const image = store.get(name);
    if (image.layers.every((l) => store.hasLayer(l))) return image;
  }
  try {
    return await buildBase(store, progress);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw new KitError(`cannot build image '${BASE_IMAGE}' in ${paths.data}: permission denied`, 'run kit with sudo (or set KIT_ROOT to a directory you own)');
    throw err;
  }
}

/** `base` is always available: it is listed even before its first build. */
function noImage(store: ImageStore, name: string): KitError {
  const names = [...new Set([BASE_IMAGE, ...store.list().map((i) => i.name)])].sort();
  return new KitError(`no image '${name}'`, `available images: ${names.join(', ')} (see \`kit image ls\`, or \`kit image import\` a tarball)`);
}
