import { join } from 'node:path';
import { KitError } from '../errors';
import { HostChanges } from '../host/journal';
import { processStartTime } from '../host/process';
import { containerDir, kitPaths } from '../paths';
import type { HostContext } from '../plan';
import { buildExecIntoPlan } from '../plan/exec-into';
import { TraceRecorder } from '../trace/recorder';
import { newContainerId, runPlan, type RunOptions, type RunResult } from './run';
import type { ContainerState } from './state';

/**
 * `kit exec`: run a command inside a running container, through the same
 * engine as a new container but with a plan that joins its namespaces
 * instead of creating them. The process is not a container of its own: it
 * has no state dir, and ends when the container does.
 */
export async function execInContainer(target: ContainerState, command: string[], options: RunOptions & { tty?: { rows: number; cols: number } } = {}): Promise<RunResult> {
  const pid = target.pid;
  if (pid === undefined || processStartTime(pid) === undefined) {
    throw new KitError(`container ${target.name} is not running`, '`kit ps` lists the running containers');
  }
  const paths = options.paths ?? kitPaths();
  const trace = new TraceRecorder(options.onEvent, options.native);
  // Host steps of a join that need undoing would journal here (joining the cgroups needs none: see exec-into.ts).
  const changes = new HostChanges(join(containerDir(paths, target.id), `exec-${newContainerId()}.journal`), trace);
  const ctx: HostContext = { id: target.id, spec: target.spec, paths, trace, changes, pid: 0, notes: [] };
  return runPlan(() => buildExecIntoPlan({ id: target.id, pid, spec: target.spec }, command, options.tty), ctx, options, () => undefined);
}
