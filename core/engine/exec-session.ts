import type { KitPaths } from '../paths';
import { shimAttached, type AttachEnd, type AttachOptions } from './attach';
import type { ExecShimRequest } from './attach-protocol';
import { shimStarted } from './detached';
import type { ExecProcess } from './exec';
import { newContainerId } from './run';
import type { ContainerState } from './state';

/**
 * `kit exec -d` and `kit exec -it`: the process is handed to a shim of its
 * own (exec-shim.ts), which outlives this kit, so -d can return at once and
 * the detach keys can leave it running, while something still reaps it.
 * A plain `kit exec` runs it itself (execInContainer) and waits.
 */
export interface ExecStart {
  target: ContainerState;
  command: string[];
  process: ExecProcess;
  /** -t: the pty's first size. */
  tty?: { rows: number; cols: number };
  /** -i: stdin stays open for an attached client. */
  interactive: boolean;
}

/** docker exec -d: resolves with the exec's id and pid once its command runs; one that cannot start throws the error a foreground exec gives. */
export async function execDetached(start: ExecStart, shim: string[], paths: KitPaths): Promise<{ id: string; pid: number }> {
  const id = newContainerId();
  const pid = await shimStarted(execRequest(start, paths), shim, id, { what: `the exec in container ${start.target.name}`, hint: 'run it without -d to see why', prefix: '' });
  return { id, pid };
}

/** docker exec -it: this kit is the shim's first attached client; Ctrl-P Ctrl-Q (or --detach-keys) detach, the process runs on. */
export function execAttached(start: ExecStart, shim: string[], paths: KitPaths, options: AttachOptions): Promise<AttachEnd> {
  return shimAttached(execRequest(start, paths), shim, options, newContainerId());
}

function execRequest(start: ExecStart, paths: KitPaths): ExecShimRequest {
  const { target, command, process, tty, interactive } = start;
  return { exec: { container: target.id, command, process, ...(tty ? { tty } : {}), interactive }, paths };
}
