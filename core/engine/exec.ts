import { join } from 'node:path';
import { KitError } from '../errors';
import { HostChanges } from '../host/journal';
import { processStartTime } from '../host/process';
import { containerDir, kitPaths } from '../paths';
import type { HostContext } from '../plan';
import { mergeEnv } from '../image/run-spec';
import { buildExecIntoPlan } from '../plan/exec-into';
import { parseUser, resolveUser, withHome, type UserRoots } from '../plan/user';
import type { ContainerSpec } from '../spec';
import { TraceRecorder } from '../trace/recorder';
import { newContainerId, runPlan, type RunOptions, type RunResult } from './run';
import type { ContainerState } from './state';

/** docker exec -u, -e/--env-file and -w: the exec'd process's own, over the container's. */
export interface ExecProcess {
  /** UID[:GID] or NAME[:GROUP], looked up in the container's /etc/passwd and /etc/group. */
  user?: string;
  /** NAME=value (or NAME: the host's value), over the container's environment. */
  env?: string[];
  /** An absolute path inside the container; default: the container's working directory. */
  workdir?: string;
}

/**
 * `kit exec`: run a command inside a running container, through the same
 * engine as a new container but with a plan that joins its namespaces
 * instead of creating them. The process is not a container of its own: it
 * has no state dir, and ends when the container does. Run by the kit exec
 * itself, or by a shim (exec-shim.ts) for -d and -it.
 */
export async function execInContainer(target: ContainerState, command: string[], options: RunOptions & { tty?: { rows: number; cols: number }; process?: ExecProcess } = {}): Promise<RunResult> {
  const pid = target.pid;
  if (pid === undefined || processStartTime(pid) === undefined) {
    throw new KitError(`container ${target.name} is not running`, '`kit ps` lists the running containers');
  }
  const spec = execSpec(target.spec, options.process ?? {}, { running: `/proc/${pid}/root` });
  const paths = options.paths ?? kitPaths();
  const trace = new TraceRecorder(options.onEvent, options.native);
  // Host steps of a join that need undoing would journal here (joining the cgroups needs none: see exec-into.ts).
  const changes = new HostChanges(join(containerDir(paths, target.id), `exec-${options.id ?? newContainerId()}.journal`), trace);
  const ctx: HostContext = { id: target.id, spec: target.spec, paths, trace, changes, pid: 0, notes: [] };
  return runPlan(() => buildExecIntoPlan({ id: target.id, pid, spec }, command, options.tty, spec.workdir), ctx, options, () => undefined);
}

/**
 * The exec'd process as docker exec makes it: the container's user,
 * environment and working directory unless -u, -e and -w say otherwise.
 * Another user gets its own HOME (runc sets it from /etc/passwd), read
 * through the running container's root with openat2(RESOLVE_IN_ROOT).
 */
function execSpec(spec: ContainerSpec, process: ExecProcess, roots: UserRoots): ContainerSpec {
  if (process.user === undefined && !process.env?.length && process.workdir === undefined) return spec;
  const user = process.user === undefined ? spec.user : resolveUser(parseUser(process.user), roots, "the container's");
  const base = process.user === undefined ? spec.env : withHome(spec.env.filter((e) => !e.startsWith('HOME=')), process.user, roots);
  return { ...spec, user, env: mergeEnv(base, process.env ?? []), workdir: process.workdir ?? spec.workdir };
}
