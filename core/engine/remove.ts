import { existsSync } from 'node:fs';
import { KitError, NoSuchContainerError } from '../errors';
import type { KitPaths } from '../paths';
import { removeOrphanedLayers } from '../image/remove';
import { removeKept } from './keep';
import { lookupContainerLayer, removeContainerLayer } from '../storage/containers';
import { lookupAnyContainer } from './names';
import { recordDir } from './record';
import { killContainer } from './stop';

/**
 * `kit rm`, as `docker rm`: a running container is refused unless forced,
 * then killed (its owner undoes its host changes and unmounts its root);
 * then what is kept of it (record, logs, container layer) is deleted.
 * Returns the container's id.
 */
export async function removeContainer(paths: KitPaths, ref: string, force: boolean): Promise<string> {
  const stacked = lookupContainerLayer(paths, ref)?.layers ?? [];
  const id = await removeOne(paths, ref, force);
  // The layers it stacked go too if its image was removed (kit image rm -f) meanwhile.
  removeOrphanedLayers(paths, stacked);
  return id;
}

async function removeOne(paths: KitPaths, ref: string, force: boolean): Promise<string> {
  const container = lookupAnyContainer(paths, ref);
  if (!container) {
    // A layer kept by a kit from before container records: still removable.
    const layer = lookupContainerLayer(paths, ref);
    if (!layer) throw new NoSuchContainerError(ref);
    removeContainerLayer(paths, layer.id);
    return layer.id;
  }
  if (container.running) {
    if (!force) throw new KitError(`container ${container.name} is running`, `stop it first (kit stop ${ref}) or force it (kit rm -f ${ref})`);
    await killContainer(paths, container.running);
  }
  if (!existsSync(recordDir(paths, container.id))) return container.id; // --rm: its owner removed it all
  const problem = removeKept(paths, container.id);
  if (problem) throw new KitError(`could not remove container ${container.name}: ${problem}`, 'run kit rm again once it is unmounted');
  return container.id;
}
