import { mkdirSync, readlinkSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { KitError, NoSuchContainerError } from '../errors';
import type { HostChanges } from '../host/journal';
import { containerDir, type KitPaths } from '../paths';
import { listContainerLayers } from '../storage/containers';
import { listRecords, type ContainerRecord } from './record';
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
  refuseIfStoppedHolds(paths, name, id);
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
function refuseIfStoppedHolds(paths: KitPaths, name: string, id: string): void {
  const kept = [...listRecords(paths), ...listContainerLayers(paths)];
  // (its own record, when kit start runs a kept container again, does not count)
  const stopped = kept.find((c) => c.name === name && c.id !== id && !existsSync(containerDir(paths, c.id)));
  if (stopped) throw new KitError(`the name "${name}" is already in use by stopped container ${stopped.id}`, `remove it (kit rm ${name}) or choose another --name`);
}

/**
 * The running container a user means by `ref`. Dead owners are reaped first,
 * so a container whose shim was killed is not found.
 */
export function findContainer(paths: KitPaths, ref: string): ContainerState {
  const found = lookupContainer(paths, ref);
  if (found) return found;
  // A stopped one still exists by its record or kept layer: "no such container" would send the user looking for a typo.
  const stopped = resolveContainer([...listRecords(paths), ...listContainerLayers(paths)], ref);
  if (stopped) throw new KitError(`container ${ref} (${stopped.id}) is not running`, `it has exited: kit start ${ref} runs it again; kit logs, inspect, diff, commit and rm still take it`);
  throw new NoSuchContainerError(ref);
}

/** A container as a user names it, running or not: its live state, its kept record, or both. */
export interface ContainerRef {
  id: string;
  name: string;
  /** Set while it runs (its owner is alive). */
  running?: ContainerState;
  /** Set unless it runs with --rm. */
  record?: ContainerRecord;
}

/** Every container of this kit root, running or kept, after reaping those whose owner died. */
export function allContainers(paths: KitPaths): ContainerRef[] {
  reapOrphans(paths);
  const byId = new Map<string, ContainerRef>();
  for (const record of listRecords(paths)) byId.set(record.id, { id: record.id, name: record.name, record });
  for (const state of listStates(paths)) byId.set(state.id, { ...byId.get(state.id), id: state.id, name: state.name, running: state });
  return [...byId.values()];
}

/** The container `ref` names, running or exited; one line naming it when there is none. */
export function findAnyContainer(paths: KitPaths, ref: string): ContainerRef {
  const found = lookupAnyContainer(paths, ref);
  if (!found) throw new NoSuchContainerError(ref);
  return found;
}

/** findContainer, with undefined when no running container matches (`kit rm` then looks for a stopped one). */
export function lookupContainer(paths: KitPaths, ref: string): ContainerState | undefined {
  reapOrphans(paths);
  return resolveContainer(listStates(paths), ref);
}

export function lookupAnyContainer(paths: KitPaths, ref: string): ContainerRef | undefined {
  return resolveContainer(allContainers(paths), ref);
}
