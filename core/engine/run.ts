import { setTimeout as sleep } from 'node:timers/promises';
import { cloneInPidNamespace } from './pid-join';
import { endWhatIsLeft } from './shared-pid';
import { mkdirSync } from 'node:fs';
import type { Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { Interrupts } from '../host/interrupts';
import { HostChanges } from '../host/journal';
import { ensureImage } from '../image/ensure';
import type { Progress as BaseImageProgress } from '../image/base/build';
import { ImageStore } from '../image/store';
import { imageOfContainer } from '../storage/containers';
import { self } from '../host/process';
import { CLONE, SIG } from '../linux';
import { initPath, type NativeAddon } from '../native';
import { checkWritable, kitPaths, containerDir, type KitPaths } from '../paths';
import { buildPlan, type HostContext, type HostStep, type Plan, type PlanPart } from '../plan';
import { holdAtExec } from '../plan/hold';
import { processStat } from '../host/process';
import type { ContainerSpec, Namespace } from '../spec';
import { NAMESPACE_FLAG } from '../plan/namespaces';
import { parseEvents, type TraceEvent } from '../trace/event';
import { TraceRecorder } from '../trace/recorder';
import { closeChildEnds, closeKitEnds, openChannels, pipeInput, readAll, type Channels, type Stdin, type Stdio } from './channels';
import { Console } from './console';
import { ContainerTrace } from './container-trace';
import { decodeStatus } from './exit-status';
import { ForegroundOutput } from './foreground-output';
import { keepRecord } from './keep';
import { ContainerLog } from './container-log';
import { journalFile, reapOrphans, writeState, type ContainerState } from './state';
import { randomHex } from '../host/random-hex';

export interface RunOptions {
  paths?: KitPaths;
  stdio?: Stdio;
  /** The container's stdin: /dev/null unless 'pass' (kit run -i), or 'relay' (a shim's: stdio.input gets its write end). */
  stdin?: Stdin;
  /** Called with each trace event as it happens. */
  onEvent?: (event: TraceEvent) => void;
  /** stdio 'copy': called before each piece of output kit writes to its own stdout or stderr (a --trace printer writes what it holds first). */
  beforeCopy?: () => void;
  /** Called with the container's output as it comes (stdio 'capture'). */
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  /**
   * stdio 'capture': also write the output to the container's log, as
   * 'copy' always does (kit run --json or --record: Docker logs every
   * container's output, so `kit logs` shows it after the run).
   */
  log?: boolean;
  /** Called as soon as the container's first process is reaped, before kit undoes its host changes. */
  onExited?: (status: { exitCode: number | null; signal: string | null }) => void;
  /**
   * Called once the container exists but before it is released to run its
   * plan: the moment chapters take the host's view of the new process.
   */
  beforeRelease?: (pid: number) => Promise<void>;
  /**
   * Called once the container's command runs (kit-init's plan done, its
   * execve made); when the promise settles the
   * container is stopped (SIGKILL) if it is still running. For containers
   * that serve (a chapter talks to its server, then ends it). `ended` is
   * aborted when the container exits by itself: stop waiting for it.
   */
  whileRunning?: (pid: number, ended: AbortSignal) => Promise<void>;
  /** Steps a chapter adds to make its point (see buildPlan). */
  demo?: PlanPart;
  /** Setup steps written outside kit (a lab's student code), run before kit confines the container (see buildPlan). */
  runtime?: PlanPart;
  /**
   * Called once the command has exec'd, while the kernel holds it at its
   * first instruction (core/plan/hold.ts): the moment
   * a chapter takes the host's view of the command itself. It runs on when
   * the promise settles; `whileRunning` starts then.
   */
  onExec?: (pid: number) => Promise<void>;
  /**
   * Called once the command itself runs: kit-init's execve succeeded. A
   * detached container's shim reports it to the `kit run -d` that waits.
   */
  onRunning?: (pid: number) => void;
  /** The container's id; a detached container's is chosen before its shim starts. */
  id?: string;
  /** Where the base image's first build tells its steps (kit run's stderr); nothing is told without it. */
  imageProgress?: BaseImageProgress;
  /** The native addon every syscall goes through (default: native-rs's); tests pass a recording double. */
  native?: NativeAddon;
}

export interface RunResult {
  id: string;
  /** The container's first process, as the host sees it. */
  pid: number;
  trace: TraceEvent[];
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: string | null;
  /** The container-side call that stopped the container before its command ran. */
  failed?: TraceEvent;
  /** What kit found after the run, one line each (the OOM killer struck...). */
  notes: string[];
  /** The kernel's OOM killer killed a process of the container. */
  oomKilled: boolean;
}

/**
 * Start a container, run it to the end, undo every host change it needed.
 * spec -> plan -> prepare (host) -> clone -> attach (host) -> release ->
 * container steps (kit-init) -> execve -> wait -> undo the journal.
 */
export async function runContainer(spec: ContainerSpec, options: RunOptions = {}): Promise<RunResult> {
  useContainerUmask();
  const paths = options.paths ?? kitPaths();
  checkWritable(paths);
  reapOrphans(paths);
  // A kept container started again runs from the layers it was made from, whatever its image's name means now.
  const restarted = options.id !== undefined && imageOfContainer(paths, new ImageStore(paths), options.id) !== undefined;
  if (spec.image && !restarted) await ensureImage(paths, spec.image, options.imageProgress);
  const id = options.id ?? newContainerId();
  const trace = new TraceRecorder(options.onEvent, options.native);
  const state: ContainerState = { id, name: spec.name ?? id, spec, createdAt: new Date().toISOString(), owner: self() };
  const changes = createStateDir(paths, state, trace);
  const ctx: HostContext = { id, spec, paths, trace, changes, pid: 0, notes: [] };
  const kept = spec.keepLayer ? keepRecord(paths, state) : undefined;
  try {
    const plan = () => {
      const built = buildPlan(spec, id, paths, options.demo, options.runtime);
      return options.onExec ? holdAtExec(built) : built;
    };
    const result = await runPlan(plan, ctx, options, (pid) => {
      writeState(paths, { ...state, pid });
      kept?.started();
    });
    kept?.exited(result);
    return result;
  } catch (err) {
    kept?.failed();
    throw err;
  }
}

export function newContainerId(): string {
  return randomHex(6);
}

/**
 * The one path every process kit starts takes, a new container or a command
 * joining one (`kit exec`): prepare -> clone -> attach -> release -> wait,
 * then undo whatever ctx.changes journaled, however it ended. The plan is
 * made inside, so a spec that cannot become one (a bad name, a missing
 * image) still has its state dir undone.
 */
export async function runPlan(
  makePlan: () => Plan,
  ctx: HostContext,
  options: RunOptions,
  onCloned: (pid: number) => void,
): Promise<RunResult> {
  useContainerUmask();
  const interrupts = new Interrupts(`container ${ctx.id} was stopped and its host changes undone`);
  try {
    const plan = makePlan();
    await runHostSteps(plan.prepare, ctx, interrupts);
    interrupts.throwIfInterrupted(); // after the last prepare step: no clone at all
    return await startAndWait(plan, ctx, options, interrupts, onCloned);
  } finally {
    interrupts.dispose();
    ctx.trace.currentWhy = undefined;
    ctx.changes.undoAll();
    interrupts.throwIfInterrupted();
  }
}

/**
 * As dockerd and podman do, kit makes a container's files under umask 022,
 * whatever the caller's: under a hardened 077 its own dirs and the /etc files
 * it mounts would be closed to the container's root (an ordinary host uid
 * with --userns), and the command would start with 077, not Docker's 022.
 */
function useContainerUmask(): void {
  process.umask(0o022);
}

/** The container's state dir is itself a journaled change, undone last. */
export function createStateDir(paths: KitPaths, state: ContainerState, trace: TraceRecorder): HostChanges {
  const dir = containerDir(paths, state.id);
  mkdirSync(dir, { recursive: true });
  const changes = new HostChanges(journalFile(paths, state.id), trace);
  changes.make({ op: 'remove', path: dir }, () => writeState(paths, state));
  return changes;
}

export async function runHostSteps(steps: HostStep[], ctx: HostContext, interrupts: Interrupts): Promise<void> {
  for (const step of steps) {
    interrupts.throwIfInterrupted();
    ctx.trace.currentWhy = step.why;
    await step.run(ctx);
  }
  ctx.trace.currentWhy = undefined;
}

async function startAndWait(
  plan: Plan,
  ctx: HostContext,
  options: RunOptions,
  interrupts: Interrupts,
  onCloned: (pid: number) => void,
): Promise<RunResult> {
  const { trace } = ctx;
  const stdio = options.stdio ?? 'capture';
  const tty = plan.container.some((step) => step.op === 'console');
  const channels = openChannels(trace, stdio, options.stdin, tty);
  let pid: number;
  try {
    pid = cloneInPidNamespace(trace, plan.joinPid, () => trace.check(plan.why?.clone ?? cloneWhy(plan.cloneFlags), (n) => n.spawn(plan.cloneFlags, initPath(), channels.childFds)));
  } catch (err) {
    closeKitEnds(trace, channels); // no container: nobody will ever write to them
    throw err;
  } finally {
    closeChildEnds(trace, channels);
  }
  // stdio 'copy' (a foreground kit run): kit passes the output on and logs it; 'capture' with log: it logs what it captures.
  const log = stdio === 'copy' || (stdio === 'capture' && options.log) ? new ContainerLog(ctx.paths, ctx.id, ctx.spec) : undefined;
  const copied = stdio === 'copy' ? new ForegroundOutput(log!, options.beforeCopy) : undefined;
  if (log && !copied) options = { ...options, onOutput: loggedToo(log, options.onOutput) };
  // -t: the pty's output is the container's stdout (a terminal merges stdout and stderr).
  let ttyOut = '';
  const relay = typeof stdio === 'object' && options.stdin === 'relay' ? stdio.input : undefined;
  const decoder = new StringDecoder('utf8'); // for those who take the terminal's output as text
  const console = tty
    ? new Console(trace, channels.console, {
        input: options.stdin === 'pass',
        relay,
        output: (chunk) => {
          if (copied) return copied.terminal(chunk);
          if (stdio === 'inherit') return void process.stdout.write(chunk);
          const text = decoder.write(chunk);
          if (typeof stdio === 'object') return stdio.output('stdout', text);
          ttyOut += text;
          options.onOutput?.('stdout', text);
        },
      })
    : undefined;
  // -i without a terminal, relayed: the shim writes what its clients type into the stdin pipe.
  const stdinPipe = channels.stdin === undefined ? undefined : pipeInput(channels.stdin);
  if (stdinPipe) relay?.(stdinPipe.input);
  try {
    return await runAttached(plan, ctx, options, interrupts, onCloned, channels, pid, console, () => ttyOut, copied);
  } finally {
    console?.close();
    stdinPipe?.close();
    // before the journal's undo removes a --rm container's dir, and its log with it
    if (copied) copied.close();
    else log?.close();
  }
}

/** Captured output to the log as well as to whoever watches it. */
function loggedToo(log: ContainerLog, onOutput: RunOptions['onOutput']): NonNullable<RunOptions['onOutput']> {
  return (stream, text) => {
    log.write(stream, text);
    onOutput?.(stream, text);
  };
}

async function runAttached(
  plan: Plan,
  ctx: HostContext,
  options: RunOptions,
  interrupts: Interrupts,
  onCloned: (pid: number) => void,
  channels: Channels,
  pid: number,
  console: Console | undefined,
  ttyOutput: () => string,
  copied?: ForegroundOutput,
): Promise<RunResult> {
  const { trace } = ctx;
  const stdio = options.stdio ?? 'capture';
  const inside = new ContainerTrace(plan.container, (event) => {
    trace.add(event);
    if (event.syscall === 'sendmsg' && event.errno === null) console?.take(); // kit-init sent the pty master
  });
  let initStarted!: () => void;
  const initRunning = new Promise<void>((resolve) => (initStarted = resolve));
  const control = readAll(channels.control, (chunk) => {
    initStarted();
    inside.push(chunk);
  });
  // kit-init's trace is whole once the control socket closes (on its execve): its last calls are known then.
  const traced = control.text.then(() => inside.end());
  // A detached container's output goes only to its log; a chapter's (onOutput) is kept and seen as it comes.
  const output = typeof stdio === 'object' ? stdio.output : options.onOutput;
  const reader = (fd: number | undefined, stream: 'stdout' | 'stderr') => {
    if (fd === undefined) return undefined;
    if (!copied) return readAll(fd, output && ((text) => output(stream, text)), typeof stdio !== 'object');
    const copy = copied.copy(fd, stream, traced);
    return { socket: copy.socket, text: copy.done.then(() => '') }; // kit's own streams got it: nothing kept
  };
  const stdout = reader(channels.stdout, 'stdout');
  const stderr = reader(channels.stderr, 'stderr');
  ctx.pid = pid;
  onCloned(pid);
  // The addon reaps the child on Node's main thread, in the turn that
  // settles `exited` (native-rs/src/napi/wait.rs), and `reaped` is set by
  // the first reaction to it: once it is, the pid may belong to another
  // process, so nothing here signals it any more.
  let reaped = false;
  const ended = new AbortController();
  const exited = trace.native.wait(pid).finally(() => {
    reaped = true;
    ended.abort();
  }); // its events come back with it
  interrupts.onInterrupt(() => {
    if (!reaped) stop(trace, pid, `stop the container: ${killWhy(plan)}`);
  });
  try {
    await runHostSteps(plan.attach, ctx, interrupts);
    if (plan.release !== undefined) await releaseChild(trace, control.socket, plan.release);
    await options.beforeRelease?.(pid);
    // kit-init's first trace line proves the child got past
    // prctl(PR_SET_PDEATHSIG), made before it exec'd kit-init. A plan sent
    // earlier could start the command in a child that outlives a kit killed
    // right then; unreleased, kit-init just reads EOF and exits.
    await Promise.race([initRunning, control.text]);
    control.socket.write(trace.native.encodePlan(plan.container)); // checked against native-rs's ContainerStep
  } catch (err) {
    if (!reaped) stop(trace, pid, 'setup failed: stop the waiting container');
    await exited;
    for (const reader of [control, stdout, stderr]) reader?.socket.destroy(); // before the error reaches the caller
    throw err;
  }
  let watcher: Promise<void> | undefined;
  try {
    await traced;
    const started = !inside.events.some((e) => refused(plan, e));
    if (options.onExec && started) await lookAtExec(trace, pid, inside.events, options.onExec);
    // Once kit-init has run the plan (eth0 is configured from inside) and the
    // command started: the control socket closes on its execve.
    watcher = options.whileRunning?.(pid, ended.signal).finally(() => reaped || stop(trace, pid, `done with the container: ${killWhy(plan)}`));
    if (started) options.onRunning?.(pid);
    await watcher;
  } catch (err) {
    await exited; // the watcher stopped the container
    for (const reader of [stdout, stderr]) reader?.socket.destroy();
    throw err;
  }
  // (Not after kit exec, whose plan has a why: its process shares the container's cgroup, and the rest of it is the container.)
  if (!plan.why && !(plan.cloneFlags & CLONE.NEWPID)) await exited.then(() => endWhatIsLeft(trace, ctx.spec, ctx.id));
  const [out, err, exit] = await Promise.all([stdout?.text, stderr?.text, exited]);
  // The last output of a terminal: read until the pty closes (a process that kept it open is given half a second).
  if (console) await Promise.race([console.drained(), sleep(500)]);
  const status = decodeStatus(exit.status);
  options.onExited?.(status);
  for (const event of parseEvents(exit.trace)) trace.add({ ...event, why: event.syscall === 'waitid' ? WAIT_WHY : plan.why?.wait ?? REAP_WHY });
  await runHostSteps(plan.exited, ctx, interrupts);
  return {
    id: ctx.id,
    pid,
    trace: trace.events,
    stdout: out ?? ttyOutput(),
    stderr: err ?? '',
    ...status,
    failed: status.exitCode !== null && status.exitCode >= 125 ? inside.events.find((e) => refused(plan, e)) : undefined,
    notes: ctx.notes,
    oomKilled: ctx.oomKilled ?? false,
  };
}

/** Steps whose refusal the plan goes on after: a chapter's attempt, the hold at exec. */
const TOLERATED = new Set(['try', 'hold_at_exec']);

/** A container-side call that failed and stopped the plan. */
function refused(plan: Plan, event: TraceEvent): boolean {
  return event.errno !== null && !(event.step !== null && TOLERATED.has(plan.container[event.step]?.op));
}

/** How long the kernel may take to stop a just-exec'd command, before kit looks without it. */
const HOLD_WAIT_MS = 2000;

/**
 * The command has exec'd: let `look` see it, then let it run. Held (its
 * PTRACE_TRACEME succeeded), it is in a ptrace stop ('t') at its first
 * instruction; kit, the tracer, detaches and it runs as if never traced.
 */
async function lookAtExec(trace: TraceRecorder, pid: number, events: TraceEvent[], look: (pid: number) => Promise<void>): Promise<void> {
  const held = events.some((e) => e.syscall === 'ptrace' && e.errno === null);
  const end = Date.now() + HOLD_WAIT_MS;
  while (held && processStat(pid)?.state !== 't' && Date.now() < end) await sleep(5);
  try {
    await look(pid);
  } finally {
    if (held) trace.host('let the command run: kit, its tracer, detaches (no signal), and it goes on as if never stopped', (n) => n.releaseHeld(pid));
  }
}

/**
 * A child in a new user namespace waits, before it execs kit-init, for one
 * byte on the control socket: its maps are written (core/plan/userns.ts).
 * Node writes it; the trace records that write as it happened.
 */
export async function releaseChild(trace: TraceRecorder, socket: Socket, byte: string): Promise<void> {
  const start = process.hrtime.bigint();
  await new Promise<void>((resolve, reject) => socket.write(byte, (err) => (err ? reject(err) : resolve())));
  trace.add({
    syscall: 'write',
    args: ['<control socket>', JSON.stringify(byte), '1'],
    ret: 1,
    errno: null,
    errnoMessage: null,
    durationUs: Number((process.hrtime.bigint() - start) / 1000n),
    side: 'host',
    step: null,
    pending: false,
    why: 'the maps are written: release the child, which becomes root of its user namespace and execs kit-init',
  });
}

/** What SIGKILL to the first process ends: its whole PID namespace only when it is that namespace's PID 1 (not with --pid host or container:NAME). */
function killWhy(plan: Plan): string {
  if (plan.cloneFlags & CLONE.NEWPID) return 'SIGKILL to its PID 1 ends its whole PID namespace';
  return "SIGKILL to its first process (no PID namespace's PID 1 here: this ends only it)";
}

/** Stop a container whose first process has not been reaped yet (so its pid is still its own). */
function stop(trace: TraceRecorder, pid: number, why = 'done with the container: SIGKILL to its PID 1 ends its whole PID namespace'): void {
  trace.host(why, (n) => n.kill(pid, SIG.KILL));
}

const REAP_WHY = "reap the container's first process: its exit status is the container's";
const WAIT_WHY = 'wait, on a worker thread, for it to end; WNOWAIT leaves it unreaped, so its pid cannot pass to another process before the main thread reaps it';

/** Named from the flags clone() really gets (the network plan adds CLONE_NEWNET to the spec's namespaces). */
export function cloneWhy(flags: number): string {
  const created = (Object.keys(NAMESPACE_FLAG) as Namespace[]).filter((ns) => ns !== 'cgroup' && (flags & NAMESPACE_FLAG[ns]) !== 0);
  if (created.length === 0) return 'a plain child process: no new namespaces, it shares everything with the host';
  const what = `new ${created.join(', ')} namespace${created.length > 1 ? 's' : ''}`;
  if (created.includes('user')) return `the container's first process, born in ${what}; it waits for its uid and gid maps, then execs kit-init`;
  return `the container's first process, born in ${what}; it execs kit-init and waits for its plan`;
}
