import { containerDir, type KitPaths } from '../paths';
import { isAlive } from '../host/process';
import { allContainers, type ContainerRef } from './names';
import { isPaused } from './pause';
import type { ContainerState } from './state';
import type { PortMapping } from '../network/ports';

/** Docker's container states (`docker ps --filter status=`). */
export type ContainerStatus = 'created' | 'running' | 'paused' | 'exited';

/** One row of `kit ps`: what Docker shows, plus what `kit stats` will need. */
export interface ContainerInfo {
  id: string;
  name: string;
  image: string | null;
  command: string[];
  createdAt: string;
  /** created (set up, or never run), running, paused (its cgroup frozen) or exited. */
  state: ContainerStatus;
  /** The container's first process, as the host sees it, while it runs. */
  pid: number | null;
  /** The kit process that owns it while it runs: a detached container's shim. */
  ownerPid: number | null;
  /** When its command last started and, once exited, how it ended. */
  startedAt: string | null;
  finishedAt: string | null;
  exitCode: number | null;
  oomKilled: boolean;
  restartCount: number;
  /** Removed when it ends (--rm): no record, logs or layer after. */
  autoRemove: boolean;
  /** docker run --label. */
  labels: Record<string, string>;
  /** Its published ports while it runs (-p, -P: host ports chosen), none once stopped, as `docker ps` shows them. */
  ports: PortMapping[];
  /** Its state directory while it runs: state.json, the undo journal. */
  stateDir: string;
}

/**
 * The containers of this kit root, oldest first, after reaping those whose
 * owner died: the running ones, and with all=true (`kit ps -a`) the kept
 * ones that are not running.
 */
export function listContainers(paths: KitPaths, options: { all?: boolean } = {}): ContainerInfo[] {
  return allContainers(paths)
    .filter(listable)
    .map((c) => info(paths, c))
    .filter((c) => options.all || c.state === 'running' || c.state === 'paused' || (c.state === 'created' && c.ownerPid !== null))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/**
 * Kept (a record), or run by a live owner. A container whose kit was killed
 * before it wrote the record has only its state dir, which the next reap
 * undoes once past its grace period: it is not a container to list.
 */
function listable(c: ContainerRef): boolean {
  return c.record !== undefined || (c.running !== undefined && isAlive(c.running.owner));
}

export function info(paths: KitPaths, c: ContainerRef): ContainerInfo {
  const running = c.running && isAlive(c.running.owner) ? c.running : undefined;
  // A ref has a record or a state (names.ts); the state's owner may have died unreaped (inspect's view).
  const spec = running?.spec ?? c.record?.spec ?? c.running!.spec;
  const exit = running ? undefined : c.record?.exit;
  return {
    id: c.id,
    name: c.name,
    image: spec.image ?? null,
    command: spec.command,
    createdAt: c.record?.createdAt ?? (running ?? c.running)!.createdAt,
    state: running ? runningState(running)  : exit ? 'exited' : 'created',
    pid: running?.pid ?? null,
    ownerPid: running?.owner.pid ?? null,
    startedAt: c.record?.startedAt ?? (running ? running.createdAt : null),
    finishedAt: exit?.finishedAt ?? null,
    exitCode: exit?.exitCode ?? (running ? undefined : c.record?.startFailure?.exitCode) ?? null,
    oomKilled: exit?.oomKilled ?? false,
    restartCount: c.record?.restartCount ?? 0,
    autoRemove: !c.record,
    labels: spec.labels ?? {},
    ports: running?.spec.ports ?? [],
    stateDir: containerDir(paths, c.id),
  };
}

function runningState(state: ContainerState): ContainerStatus {
  if (state.pid === undefined) return 'created';
  return isPaused(state.spec, state.id) ? 'paused' : 'running';
}
