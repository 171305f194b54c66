import { KitError } from '../errors';
import type { KitPaths } from '../paths';
import { lookupContainerLayer, removeContainerLayer } from '../storage/containers';
import { lookupContainer } from './names';
import { killContainer } from './stop';

/**
 * `kit rm`, as `docker rm`: a running container is refused unless forced,
 * then killed (its owner undoes its host changes and unmounts its root);
 * then its kept container layer, if it has one, is deleted. A stopped
 * container is only that layer (kit run -d or --name keeps it).
 */
export async function removeContainer(paths: KitPaths, ref: string, force: boolean): Promise<void> {
  const running = lookupContainer(paths, ref);
  if (running) {
    if (!force) throw new KitError(`container ${running.name} is running`, `stop it first (kit stop ${ref}) or force it (kit rm -f ${ref})`);
    await killContainer(paths, running);
  }
  const layer = lookupContainerLayer(paths, running?.id ?? ref);
  if (!running && !layer) throw new KitError(`no such container: ${ref}`, '`kit ps` lists the running ones; a stopped one remains only if it ran with -d or --name');
  if (layer) removeContainerLayer(paths, layer.id);
}
