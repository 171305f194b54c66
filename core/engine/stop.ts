import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { KitError } from '../errors';
import { isAlive } from '../host/process';
import { SIG } from '../linux';
import { containerDir, type KitPaths } from '../paths';
import { TraceRecorder } from '../trace/recorder';
import { isPaused, setPaused } from './pause';
import { parseSignal } from './signal';
import { updateRecord } from './record';
import { reapOrphans, type ContainerState } from './state';

/**
 * `kit stop`, as `docker stop`: SIGTERM (or its --stop-signal) to the
 * container's first process, and SIGKILL if it is still there after the
 * grace period (-t, else its --stop-timeout, else 10 seconds). A PID 1 gets no
 * default action for signals it does not handle, so a plain `sleep` ignores
 * the SIGTERM and only the SIGKILL ends it. Returns once its owner has undone
 * the host changes (the state dir is gone).
 */
export async function stopContainer(paths: KitPaths, state: ContainerState, graceMs?: number): Promise<void> {
  markManuallyStopped(paths, state.id);
  signal(state, state.spec.stopSignal ? parseSignal(state.spec.stopSignal) : SIG.TERM);
  if (await gone(paths, state, graceMs ?? (state.spec.stopTimeout ?? 10) * 1000)) return;
  await killContainer(paths, state);
}

/** `kit rm -f`: SIGKILL, then wait for the owner to undo the host changes. */
export async function killContainer(paths: KitPaths, state: ContainerState): Promise<void> {
  markManuallyStopped(paths, state.id);
  signal(state, SIG.KILL);
  if (await gone(paths, state, 10_000)) return;
  throw new KitError(`container ${state.name} did not go away after SIGKILL`, `its owner is pid ${state.owner.pid}; see ${containerDir(paths, state.id)}`);
}

/** Its --restart policy must not start it again (the shim reads this when it exits). */
function markManuallyStopped(paths: KitPaths, id: string): void {
  updateRecord(paths, id, (r) => ({ ...r, manuallyStopped: true }));
}

/**
 * Before the container is cloned there is no pid to signal: the owner is
 * told instead (SIGTERM makes kit stop and undo what it made so far).
 */
function signal(state: ContainerState, sig: number): void {
  const target = state.pid ?? state.owner.pid;
  try {
    process.kill(target, state.pid === undefined ? SIG.TERM : sig);
  } catch {
    // already gone: the owner is cleaning up, or has
  }
  // A frozen process takes no signal until it is thawed (docker stop and rm -f of a paused container thaw it too).
  if (state.pid !== undefined && isPaused(state.spec, state.id)) setPaused(new TraceRecorder(), state.spec, state.id, false);
}

async function gone(paths: KitPaths, state: ContainerState, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (!isAlive(state.owner)) reapOrphans(paths);
    if (!existsSync(containerDir(paths, state.id))) return true;
    if (Date.now() > end) return false;
    await sleep(50);
  }
}
