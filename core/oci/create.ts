import { chownSync, constants, mkdirSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KitError } from '../errors';
import { runHostSteps } from '../engine/run';
import { HostChanges } from '../host/journal';
import { Interrupts } from '../host/interrupts';
import { processStartTime } from '../host/process';
import { S_IF, SIG } from '../linux';
import type { KitPaths } from '../paths';
import { buildPlan, type HostContext, type Plan } from '../plan';
import { hasNamespace, type ContainerSpec } from '../spec';
import type { TraceRecorder } from '../trace/recorder';
import { hostId } from '../userns/id-map';
import { startTrace, traceRecorder } from './trace-file';
import { readBundle } from './bundle';
import { launchDetached } from './launch';
import { runHooks } from './hooks';
import { ociToSpec } from './to-spec';
import { checkId, ensureDir, fifoPath, ociDir, ociRoot, stateJson, writeContainer, type OciContainer } from './state';

export interface CreateOptions {
  paths: KitPaths;
  bundle: string;
  id: string;
  pidFile?: string;
  /** A unix socket the caller listens on: the container's pty master is sent there (SCM_RIGHTS). */
  consoleSocket?: string;
}

const O_PATH = 0o10000000;

/**
 * `kit-runtime create`: everything `kit run` does up to the command's execve
 * (the same plan, the same host steps, journaled), but the container's init
 * then waits on exec.fifo for `kit-runtime start`, and this process exits:
 * no PDEATHSIG ties the container to it, and the caller's subreaper (conmon,
 * the containerd shim) becomes its parent. The journal stays for `delete`.
 * Returns the container's pid, also written to --pid-file.
 */
export async function createContainer(options: CreateOptions): Promise<number> {
  const { paths, id } = options;
  checkId(id, 'create');
  ensureDir(ociRoot(paths));
  const dir = ociDir(paths, id);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new KitError(`container "${id}" already exists`, 'delete it first (kit-runtime delete ID), or pick another id');
    throw err;
  }
  startTrace(paths, id);
  const trace = traceRecorder(paths, id, 'create');
  const changes = new HostChanges(join(dir, 'journal'), trace);
  changes.make({ op: 'remove', path: dir }, () => undefined);
  let pid = 0;
  const interrupts = new Interrupts(`container ${id} was not created: its host changes are undone`);
  try {
    const bundle = readBundle(options.bundle);
    const spec: ContainerSpec = { ...ociToSpec(bundle.config, bundle.rootfs), name: id };
    checkConsole(spec, options.consoleSocket);
    const container: OciContainer = { id, bundle: bundle.dir, init: { pid: 0, startTime: 0 }, created: new Date().toISOString(), annotations: bundle.config.annotations ?? {}, spec, hooks: { poststart: bundle.config.hooks?.poststart, poststop: bundle.config.hooks?.poststop } };
    const ctx: HostContext = { id, spec, paths, trace, changes, pid: 0, notes: [] };
    const plan = buildPlan(spec, id, paths);
    checkCommandFound(plan, spec);
    await runHostSteps(plan.prepare, ctx, interrupts);
    interrupts.throwIfInterrupted();
    const fifoFd = makeFifo(trace, paths, id, spec);
    pid = await launchDetached(ctx, plan, interrupts, { consoleSocket: options.consoleSocket, fifoFd, why: '; it outlives kit-runtime create, whose caller reaps it' });
    container.init = { pid, startTime: processStartTime(pid) ?? 0 };
    runHooks(trace, bundle.config.hooks?.prestart, 'prestart', stateJson(paths, container, 'created'));
    runHooks(trace, bundle.config.hooks?.createRuntime, 'createRuntime', stateJson(paths, container, 'created'));
    writeContainer(paths, container);
    if (options.pidFile) writePidFile(options.pidFile, pid);
    return pid;
  } catch (err) {
    if (pid > 0) {
      trace.host('the container could not be set up: stop it', (n) => n.kill(pid, SIG.KILL));
    }
    changes.undoAll();
    throw err;
  } finally {
    interrupts.dispose();
  }
}

function makeFifo(trace: TraceRecorder, paths: KitPaths, id: string, spec: ContainerSpec): number {
  const fifo = fifoPath(paths, id);
  // O_PATH: names the FIFO without opening it for I/O (which would block, or count as a reader).
  trace.check('exec.fifo: the container waits on it before its execve, until `start`', (n) => n.mknod(fifo, S_IF.FIFO | 0o622, 0, 0));
  // The init opens it for writing: in a user namespace its root is another host uid, so the FIFO becomes its (as runc chowns it).
  const maps = typeof spec.userns === 'object' ? spec.userns : undefined;
  if (maps && hasNamespace(spec, 'user')) chownSync(fifo, hostId(maps.uid, 0) ?? 0, hostId(maps.gid, 0) ?? 0);
  return openSync(fifo, O_PATH | constants.O_NOFOLLOW);
}

/** runc's rules: a terminal needs somewhere to send it, and a console socket needs a terminal. */
export function checkConsole(spec: ContainerSpec, consoleSocket: string | undefined): void {
  if (spec.tty && consoleSocket === undefined) throw new KitError('process.terminal is true but there is no --console-socket to send the terminal to', 'give --console-socket PATH, or set process.terminal to false');
  if (!spec.tty && consoleSocket !== undefined) throw new KitError('--console-socket was given but process.terminal is false', 'set process.terminal to true, or leave --console-socket out');
}

/**
 * As runc since 1.1: a command that is not in the root filesystem fails
 * `create`, not `start` (podman turns this message into exit code 127).
 */
function checkCommandFound(plan: Plan, spec: ContainerSpec): void {
  const exec = plan.container[plan.container.length - 1];
  if (exec?.op !== 'exec' || exec.path.startsWith('/')) return;
  throw new KitError(`exec: "${spec.command[0]}": executable file not found in $PATH`, `check process.args[0] and the PATH in process.env (${spec.env.find((e) => e.startsWith('PATH=')) ?? 'no PATH'})`, 127);
}

/** The pid as runc writes it: no newline, written whole (temp + rename), so a reader never sees half of it. */
export function writePidFile(file: string, pid: number): void {
  const tmp = join(dirname(file), `.${pid}.kit-runtime.tmp`);
  writeFileSync(tmp, String(pid), { mode: 0o644 });
  renameSync(tmp, file);
}
