import { KitError } from '../errors';
import type { KitPaths } from '../paths';
import { listContainerLayers } from '../storage/containers';
import { removeLayerDevices } from '../storage/devicemapper';
import { removeRemappedCopies } from '../storage/remapped-layers';
import { ImageStore } from './store';

/**
 * `kit image rm`, with Docker's rule, message and exit code (1): an image a
 * container still uses (running, or stopped and kept) is refused, naming
 * the container, unless forced. Forced, the name goes (Docker's untag) but
 * the layers those containers stack stay until the last of them is removed
 * (removeOrphanedLayers): pulling a layer from under a container would
 * empty its root.
 */
export function removeImage(store: ImageStore, paths: KitPaths, name: string, force = false): { removedLayers: string[]; usedBy: string[] } {
  const image = store.get(name);
  const containers = listContainerLayers(paths);
  // Made from this very image: its name and its layers (a new image under an old name is not the old one).
  const users = containers.filter((c) => c.image === name && c.layers.join() === image.layers.join());
  if (users.length && !force) {
    const first = users[0];
    const ref = first.name ?? first.id.slice(0, 12);
    const more = users.length > 1 ? ` (and ${users.length - 1} more: \`kit ps -a\`)` : '';
    throw new KitError(
      `conflict: unable to remove repository reference "${name}" (must force) - container ${first.id.slice(0, 12)}${first.name ? ` (${first.name})` : ''} is using its referenced image`,
      `remove the container first with \`kit rm -f ${ref}\`${more}, or untag the image with \`kit image rm -f ${name}\` (its layers stay until no container uses them)`,
      1,
    );
  }
  store.remove(name);
  return { removedLayers: dropLayers(store, paths, undefined, containers), usedBy: users.map((c) => c.name ?? c.id) };
}

/**
 * After a container is removed: the layers it stacked that no image lists
 * any more (its image was removed with -f while it ran or was kept) and no
 * other container uses are deleted, as `kit image rm` would have.
 */
export function removeOrphanedLayers(paths: KitPaths, layers: string[]): string[] {
  if (layers.length === 0) return [];
  return dropLayers(new ImageStore(paths), paths, layers, listContainerLayers(paths));
}

function dropLayers(store: ImageStore, paths: KitPaths, candidates: string[] | undefined, containers: Array<{ layers: string[] }>): string[] {
  const removed = store.removeUnusedLayers(candidates, containers.flatMap((c) => c.layers));
  removeLayerDevices(paths, removed);
  removeRemappedCopies(paths, removed);
  return removed;
}
