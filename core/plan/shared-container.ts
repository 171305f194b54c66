import { KitError } from '../errors';
import { isAlive } from '../host/process';
import { resolveContainer } from '../engine/resolve-container';
import { listStates, type ContainerState } from '../engine/state';
import type { KitPaths } from '../paths';

/**
 * The running container a `container:NAME` mode names (--network, --pid,
 * --ipc: `flag`), whose namespaces the new container joins. One that is not
 * running is one line naming the flag.
 */
export function sharedContainer(name: string, paths: KitPaths, flag = '--network'): ContainerState & { pid: number } {
  const running = listStates(paths).filter((s) => s.pid && isAlive(s.owner));
  const target = resolveContainer(running, name);
  if (!target?.pid) throw new KitError(`${flag} container:${name}: no running container named '${name}'`, 'start it first, or check the name with `kit ps`');
  return target as ContainerState & { pid: number };
}
