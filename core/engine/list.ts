import { containerDir, type KitPaths } from '../paths';
import { isAlive } from '../host/process';
import { listStates, reapOrphans } from './state';

/** One row of `kit ps`: what Docker shows, plus what `kit stats` will need. */
export interface ContainerInfo {
  id: string;
  name: string;
  command: string[];
  createdAt: string;
  /** "running" once cloned, "created" while its plan is still being set up. */
  state: 'created' | 'running';
  /** The container's first process, as the host sees it. */
  pid: number | null;
  /** The kit process that owns it: a detached container's shim. */
  ownerPid: number;
  /** Its state directory: state.json, the undo journal, the logs of a detached container. */
  stateDir: string;
}

/** The containers of this kit root, oldest first, after reaping those whose owner died. */
export function listContainers(paths: KitPaths): ContainerInfo[] {
  reapOrphans(paths);
  return listStates(paths)
    .filter((s) => isAlive(s.owner))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map((s) => ({
      id: s.id,
      name: s.name,
      command: s.spec.command,
      createdAt: s.createdAt,
      state: s.pid === undefined ? 'created' : 'running',
      pid: s.pid ?? null,
      ownerPid: s.owner.pid,
      stateDir: containerDir(paths, s.id),
    }));
}
