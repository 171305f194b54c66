import { mkdirSync, readlinkSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { KitError } from '../errors';
import type { HostChanges } from '../host/journal';
import { containerDir, type KitPaths } from '../paths';
import { listContainerLayers } from '../storage/containers';
import { resolveContainer } from './resolve-container';
import { listStates, reapOrphans, type ContainerState } from './state';

/** Docker's rule for container names. */
const VALID_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

function namesDir(paths: KitPaths): string {
  return join(paths.state, 'names');
}

/**
 * Reserve `name` for container `id`: a symlink <state>/names/<name> -> <id>,
 * which only one of several concurrent `kit run --name` can create. The undo
 * record is journaled after the claim succeeds, not before as for other
 * changes: journaled first, a failed claim would remove the winner's link.
 * A crash in between leaves a link whose container dir is gone, which the
 * next claim treats as free.
 */
export function claimName(paths: KitPaths, name: string, id: string, changes: HostChanges): void {
  if (!VALID_NAME.test(name)) {
    throw new KitError(`invalid container name "${name}"`, 'use letters, digits and _ . - (starting with a letter or digit)');
  }
  refuseIfStoppedHolds(paths, name);
  const link = join(namesDir(paths), name);
  mkdirSync(namesDir(paths), { recursive: true });
  try {
    symlinkSync(id, link);
  } catch {
    const holder = readlinkSync(link);
    if (existsSync(containerDir(paths, holder))) {
      throw new KitError(`the name "${name}" is already in use by container ${holder}`, `remove it (kit rm -f ${name}) or choose another --name`);
    }
    rmSync(link, { force: true }); // left by a kit process that died mid-claim
    return claimName(paths, name, id, changes);
  }
  changes.make({ op: 'remove', path: link }, () => undefined);
}

/**
 * As with Docker, a stopped container keeps its name until `kit rm`: its
 * kept layer still answers to it (kit diff, kit commit, kit rm).
 */
function refuseIfStoppedHolds(paths: KitPaths, name: string): void {
  const stopped = listContainerLayers(paths).find((c) => c.name === name && !existsSync(containerDir(paths, c.id)));
  if (stopped) throw new KitError(`the name "${name}" is already in use by stopped container ${stopped.id}`, `remove it (kit rm ${name}) or choose another --name`);
}

/**
 * The running container a user means by `ref`. Dead owners are reaped first,
 * so a container whose shim was killed is not found.
 */
export function findContainer(paths: KitPaths, ref: string): ContainerState {
  const found = lookupContainer(paths, ref);
  if (found) return found;
  // A stopped one still exists by its kept layer: "no such container" would send the user looking for a typo.
  const stopped = resolveContainer(listContainerLayers(paths), ref);
  if (stopped) throw new KitError(`container ${ref} (${stopped.id}) is not running`, 'it has stopped: kit diff, kit commit and kit rm still take it; kit run starts a new one');
  throw new KitError(`no such container: ${ref}`, '`kit ps` lists the running containers');
}

/** findContainer, with undefined when no running container matches (`kit rm` then looks for a stopped one). */
export function lookupContainer(paths: KitPaths, ref: string): ContainerState | undefined {
  reapOrphans(paths);
  return resolveContainer(listStates(paths), ref);
}
