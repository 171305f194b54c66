import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HostChanges } from '../host/journal';
import { isAlive, processStat, self, type ProcessRef } from '../host/process';
import { removeAll } from '../host/remove-tree';
import { containerDir, containersDir, type KitPaths } from '../paths';
import type { ContainerSpec } from '../spec';
import { TraceRecorder } from '../trace/recorder';
import { recoverDevicemapper } from '../storage/dm-recover';
import '../undo-handlers'; // a journal replayed here may hold any kind of host change
import { markOwnerDied } from './record';

/**
 * What kit knows about a container, in <state>/containers/<id>/state.json,
 * next to the journal of its host changes.
 */
export interface ContainerState {
  id: string;
  name: string;
  spec: ContainerSpec;
  createdAt: string;
  /** The kit process responsible for the container: when it is gone, so is the container (PDEATHSIG). */
  owner: ProcessRef;
  /** The container's first process, as the host sees it, once cloned. */
  pid?: number;
}

export function journalFile(paths: KitPaths, id: string): string {
  return join(containerDir(paths, id), 'journal');
}

export function writeState(paths: KitPaths, state: ContainerState): void {
  const file = join(containerDir(paths, state.id), 'state.json');
  writeFileSync(file + '.tmp', JSON.stringify(state, null, 2));
  renameSync(file + '.tmp', file); // readers never see half a file
}

export function readState(paths: KitPaths, id: string): ContainerState | undefined {
  try {
    return JSON.parse(readFileSync(join(containerDir(paths, id), 'state.json'), 'utf8')) as ContainerState;
  } catch {
    return undefined;
  }
}

export function listStates(paths: KitPaths): ContainerState[] {
  const dir = containersDir(paths);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((id) => (id.startsWith('.') ? [] : readState(paths, id) ?? []));
}

/** Grace period for a directory whose state.json is still being written. */
const UNBORN_GRACE_MS = 60_000;

/**
 * Undo what crashed or killed kit processes left behind: every container
 * whose owner is gone has its journal replayed. Safe to run from several kit
 * processes at once: the first to create `<dir>/reaping` does the work; the
 * journal's oldest record removes the dir, claim included, in one rename
 * (core/host/remove-tree.ts), so a late reaper cannot claim it again.
 * Then the devicemapper pool's own journals of killed kits are replayed.
 */
export function reapOrphans(paths: KitPaths): string[] {
  const reaped = reapContainers(paths);
  finishAbandonedRemovals(join(paths.data, 'containers'));
  recoverDevicemapper(paths); // a killed kit rm, kit diff or layer device made outside any container's journal
  return reaped;
}

function reapContainers(paths: KitPaths): string[] {
  const dir = containersDir(paths);
  if (!existsSync(dir)) return [];
  const reaped: string[] = [];
  for (const id of readdirSync(dir)) {
    if (id.startsWith('.')) {
      removeIfStale(join(dir, id)); // a tree another kit was removing when it died
      continue;
    }
    const state = readState(paths, id);
    const orphan = state ? !isAlive(state.owner) : ageMs(join(dir, id)) > UNBORN_GRACE_MS;
    if (!orphan || !claim(join(dir, id, 'reaping'))) continue;
    const problems = new HostChanges(journalFile(paths, id), new TraceRecorder()).undoAll();
    // What could not be undone (a busy mount) stays journaled in the dir:
    // release the claim so a later kit command tries again.
    if (problems.length > 0) {
      rmSync(join(dir, id, 'reaping'), { recursive: true, force: true });
      continue;
    }
    rmSync(join(dir, id), { recursive: true, force: true }); // one that died before its first record
    markOwnerDied(paths, id);
    reaped.push(id);
  }
  return reaped;
}

/**
 * `kit rm` killed while it deleted a kept container's dir: the dir is off
 * its name already (`.<id>.removing-<pid>`, remove-tree.ts), so no command
 * lists the container, but its files (what the container wrote) would stay
 * on disk. Finished here once the remover is dead.
 */
function finishAbandonedRemovals(dir: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const remover = /^\..+\.removing-(\d+)$/.exec(name);
    if (!remover) continue;
    const stat = processStat(Number(remover[1]));
    if (stat && stat.state !== 'Z') continue; // still at it
    try {
      removeAll(join(dir, name));
    } catch {
      // another kit finishing it too; whatever is left goes next time
    }
  }
}

/** Best effort: the kit that renamed it may still be removing it. */
function removeIfStale(path: string): void {
  if (ageMs(path) <= UNBORN_GRACE_MS) return;
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // another process removed part of it first; whatever is left goes next time
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * mkdir is the claim; the claimer's ProcessRef inside says whose it is. A
 * reaper killed mid-undo leaves its claim behind: once that reaper is dead,
 * the claim is taken over (renamed away whole, so only one taker wins),
 * or the container would never be reaped.
 */
function claim(path: string): boolean {
  try {
    mkdirSync(path);
  } catch {
    if (!staleClaim(path)) return false;
    const taken = join(dirname(path), `.reaping-stale-${process.pid}`);
    try {
      renameSync(path, taken);
    } catch {
      return false; // another reaper took it over first
    }
    if (!staleClaim(taken)) {
      restore(taken, path); // a taker won between our look and our rename: that claim was live
      return false;
    }
    rmSync(taken, { recursive: true, force: true });
    return claim(path);
  }
  writeFileSync(join(path, 'owner'), JSON.stringify(self()));
  return true;
}

function restore(taken: string, path: string): void {
  try {
    renameSync(taken, path);
  } catch {
    rmSync(taken, { recursive: true, force: true }); // its owner reaps without it, as before
  }
}

/** The claimer is dead (or never wrote its name, long ago). */
function staleClaim(path: string): boolean {
  try {
    return !isAlive(JSON.parse(readFileSync(join(path, 'owner'), 'utf8')) as ProcessRef);
  } catch {
    return existsSync(path) && ageMs(path) > UNBORN_GRACE_MS;
  }
}
