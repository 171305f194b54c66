import { KitError } from '../errors';
import type { KitPaths } from '../paths';
import { listContainerLayers } from '../storage/containers';
import { removeLayerDevices } from '../storage/devicemapper';
import { removeRemappedCopies } from '../storage/remapped-layers';
import type { ImageStore } from './store';

/**
 * `kit image rm`, with Docker's rule: an image a container still uses
 * (running, or stopped and kept) is refused, naming the containers, unless
 * forced. Forced, the name goes but the layers those containers stack stay
 * until they are removed: pulling a layer from under a container would
 * empty its root.
 */
export function removeImage(store: ImageStore, paths: KitPaths, name: string, force = false): { removedLayers: string[]; usedBy: string[] } {
  store.get(name);
  const containers = listContainerLayers(paths);
  const usedBy = containers.filter((c) => c.image === name).map((c) => c.name ?? c.id);
  if (usedBy.length && !force) {
    throw new KitError(`image '${name}' is used by container${usedBy.length === 1 ? '' : 's'} ${usedBy.join(', ')}`, `remove ${usedBy.length === 1 ? 'it' : 'them'} first (\`kit rm ${usedBy[0]}\`), or force with \`kit image rm -f ${name}\` (their layers stay until they are removed)`, 1);
  }
  store.remove(name);
  const removedLayers = store.removeUnusedLayers(undefined, containers.flatMap((c) => c.layers));
  removeLayerDevices(paths, removedLayers);
  removeRemappedCopies(paths, removedLayers);
  return { removedLayers, usedBy };
}
