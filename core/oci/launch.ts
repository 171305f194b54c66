import { ContainerTrace } from '../engine/container-trace';
import { readAll } from '../engine/channels';
import { cloneWhy, releaseChild, runHostSteps } from '../engine/run';
import { cloneInPidNamespace } from '../engine/pid-join';
import { KitError, SyscallError } from '../errors';
import type { Interrupts } from '../host/interrupts';
import { processStartTime } from '../host/process';
import { SIG } from '../linux';
import { initPath } from '../native';
import type { ContainerStep, HostContext, Plan } from '../plan';
import { CONSOLE_FD } from '../plan/console';
import { hintFor } from '../trace/hints';

export interface LaunchOptions {
  /** The caller's --console-socket: connected here, it becomes the child's fd 4 (the console step sends the pty master on it). */
  consoleSocket?: string;
  /** exec.fifo (kit-runtime create): the child waits on it before its execve. */
  fifoFd?: number;
  /** Added to clone's why: who reaps this child. */
  why: string;
}

/**
 * Start a plan's process for a caller that exits before it does
 * (kit-runtime create, exec --detach): clone without PDEATHSIG, the caller's
 * own stdio passed through as fds 0-2, the attach steps, the plan, then the
 * trace until kit-init closes the control socket: at exec_wait (create) or
 * at the command's execve (exec). Returns the pid, once that point was
 * reached without a failed call; on failure the child is killed.
 */
export async function launchDetached(ctx: HostContext, plan: Plan, interrupts: Interrupts, options: LaunchOptions): Promise<number> {
  const { trace } = ctx;
  const consoleFd = options.consoleSocket === undefined ? undefined : trace.check("connect to the caller's --console-socket: the container sends its pty master there", (n) => n.connectUnix(options.consoleSocket!));
  const pair = trace.host('a socket pair: the plan goes in, the container-side trace comes out', (n) => n.socketpair());
  if (typeof pair === 'number') throw trace.errorFromLast();
  const [control, child] = pair;
  const fds = [0, 1, 2, child, ...(consoleFd === undefined ? [] : [consoleFd]), ...(options.fifoFd === undefined ? [] : [options.fifoFd])];
  if (consoleFd !== undefined && fds.indexOf(consoleFd) !== CONSOLE_FD) throw new Error("the console socket must be the child's fd 4");
  const steps = options.fifoFd === undefined ? plan.container : withExecWait(plan.container, fds.length - 1);
  try {
    ctx.pid = cloneInPidNamespace(trace, plan.joinPid, () => trace.check(cloneWhy(plan.cloneFlags) + options.why, (n) => n.spawn(plan.cloneFlags, initPath(), fds, false)));
  } finally {
    for (const fd of new Set(fds.slice(3))) trace.host("the child's end: handed to clone, then closed here", (n) => n.close(fd));
  }
  try {
    await setUp(plan, steps, ctx, control, interrupts);
  } catch (err) {
    trace.host('the process could not be set up: stop it', (n) => n.kill(ctx.pid, SIG.KILL));
    throw err;
  }
  return ctx.pid;
}

/** Host steps after clone, the plan to kit-init, and its trace until the control socket closes. */
async function setUp(plan: Plan, steps: ContainerStep[], ctx: HostContext, control: number, interrupts: Interrupts): Promise<void> {
  const { trace } = ctx;
  const inside = new ContainerTrace(steps, (event) => trace.add(event));
  let started!: () => void;
  const initRunning = new Promise<void>((resolve) => (started = resolve));
  const reader = readAll(control, (chunk) => {
    started();
    inside.push(chunk);
  });
  try {
    await runHostSteps(plan.attach, ctx, interrupts);
    if (plan.release !== undefined) await releaseChild(trace, reader.socket, plan.release);
    await Promise.race([initRunning, reader.text]);
    reader.socket.write(trace.native.encodePlan(steps));
    await reader.text;
  } finally {
    reader.socket.destroy();
  }
  inside.end();
  const failed = inside.events.find((e) => e.errno !== null);
  if (failed) throw new SyscallError(failed, hintFor(failed), failed.syscall === 'execve' ? (failed.errno === 'ENOENT' ? 127 : 126) : 125);
  if (processStartTime(ctx.pid) === undefined) throw new KitError(`the process (pid ${ctx.pid}) ended during its setup`, 'see the trace: kit runtime trace ID');
}

/** The exec_wait step, just before the command's execve (the plan's last step). */
function withExecWait(steps: ContainerStep[], fd: number): ContainerStep[] {
  const wait: ContainerStep = {
    op: 'exec_wait',
    fd,
    why: "set up and waiting: the control socket closes (kit-runtime create exits), and this open of exec.fifo blocks until `kit-runtime start` opens its other end (runc's exec.fifo)",
  };
  return [...steps.slice(0, -1), wait, ...steps.slice(-1)];
}
