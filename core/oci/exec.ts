import { join } from 'node:path';
import { KitError } from '../errors';
import { runPlan, runHostSteps } from '../engine/run';
import { shellStatus, startFailure } from '../engine/outcome';
import { HostChanges } from '../host/journal';
import { Interrupts } from '../host/interrupts';
import type { KitPaths } from '../paths';
import type { HostContext } from '../plan';
import { buildExecIntoPlan } from '../plan/exec-into';
import { DOCKER_DEFAULT_CAPS } from '../security/capabilities';
import type { ContainerSpec } from '../spec';
import { traceRecorder } from './trace-file';
import { parseJson, readConfigFile } from './bundle';
import { parseOciProcess, type OciProcess } from './config';
import { checkConsole, writePidFile } from './create';
import { launchDetached } from './launch';
import { findContainer, ociDir, statusOf } from './state';
import { ociCapabilities, ociUmask } from './to-spec';
import { randomHex } from '../host/random-hex';

export interface ExecOptions {
  paths: KitPaths;
  id: string;
  /** The process to run, as config.json's `process` object (what podman and containerd write). */
  processFile: string;
  detach: boolean;
  pidFile?: string;
  consoleSocket?: string;
}

/**
 * `kit-runtime exec --process FILE ID`: one more process in a running
 * container, through kit exec's plan (setns into its namespaces, its root,
 * its cgroups, the confinement of the process's own config). With --detach
 * (what conmon and the containerd shim use) it is started as `create`
 * starts a container: no PDEATHSIG, the pid to --pid-file, and this
 * process exits once the command runs; the caller reaps it. Without it, the
 * command runs in the foreground and its exit code is kit-runtime's.
 */
export async function execProcess(options: ExecOptions): Promise<number> {
  const { paths, id } = options;
  const container = findContainer(paths, id);
  const status = statusOf(paths, container);
  if (status !== 'running') throw new KitError(`cannot exec in container "${id}": it is ${status}`, 'exec needs a running container');
  const proc = parseOciProcess(parseJson(readConfigFile(options.processFile)), options.processFile);
  const spec = execSpec(container.spec, proc);
  checkConsole(spec, options.consoleSocket);
  if (options.consoleSocket !== undefined && !options.detach) throw new KitError('--console-socket needs --detach', 'add --detach, or leave --console-socket out');
  const trace = traceRecorder(paths, id, 'exec');
  // Joining needs no host change that must be undone (see exec-into.ts): the journal stays empty.
  const changes = new HostChanges(join(ociDir(paths, id), `exec-${randomHex(4)}.journal`), trace);
  const ctx: HostContext = { id, spec, paths, trace, changes, pid: 0, notes: [] };
  const plan = () => buildExecIntoPlan({ id, pid: container.init.pid, spec }, spec.command, spec.tty, spec.workdir);
  if (!options.detach) {
    const result = await runPlan(plan, ctx, { stdio: 'inherit', stdin: 'pass' }, () => undefined);
    const failed = startFailure(result);
    if (failed) throw failed;
    return shellStatus(result);
  }
  const interrupts = new Interrupts(`the exec in container ${id} was stopped`);
  try {
    const built = plan();
    await runHostSteps(built.prepare, ctx, interrupts);
    const pid = await launchDetached(ctx, built, interrupts, { consoleSocket: options.consoleSocket, why: '; it outlives kit-runtime exec, whose caller reaps it' });
    if (options.pidFile) writePidFile(options.pidFile, pid);
    return 0;
  } finally {
    interrupts.dispose();
    changes.undoAll();
  }
}

/** The container's spec with the process's command, environment, cwd, user, terminal and capabilities. */
function execSpec(base: ContainerSpec, proc: OciProcess): ContainerSpec {
  const caps = proc.capabilities ? ociCapabilities(proc.capabilities, proc.user.uid === 0) : undefined;
  const user = proc.user;
  return {
    ...base,
    command: proc.args,
    env: proc.env ?? [],
    workdir: proc.cwd,
    user: user.uid !== 0 || user.gid !== 0 || user.additionalGids?.length ? { uid: user.uid, gid: user.gid, groups: user.additionalGids ?? [] } : undefined,
    umask: ociUmask(user),
    tty: proc.terminal ? { rows: proc.consoleSize?.height ?? 0, cols: proc.consoleSize?.width ?? 0 } : undefined,
    security: {
      ...base.security,
      ...(caps ? { capAdd: caps.filter((c) => !DOCKER_DEFAULT_CAPS.includes(c)), capDrop: DOCKER_DEFAULT_CAPS.filter((c) => !caps.includes(c)) } : {}),
      ...(proc.noNewPrivileges !== undefined ? { noNewPrivileges: proc.noNewPrivileges } : {}),
    },
  };
}
