import { closeSync, constants, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { KitError } from '../errors';
import type { TraceEvent } from '../trace/event';
import { setPaused } from '../engine/pause';
import { parseSignal } from '../engine/signal';
import { containerPids } from '../engine/top';
import { HostChanges } from '../host/journal';
import { processStat } from '../host/process';
import { SIG } from '../linux';
import type { KitPaths } from '../paths';
import { hintFor } from '../trace/hints';
import { traceRecorder } from './trace-file';
import { runHooks } from './hooks';
import { fifoPath, findContainer, ociDir, stateJson, statusOf, type OciContainer, type OciStatus } from './state';
import { join } from 'node:path';


function expectStatus(paths: KitPaths, container: OciContainer, verb: string, allowed: OciStatus[]): OciStatus {
  const status = statusOf(paths, container);
  if (!allowed.includes(status)) throw new KitError(`cannot ${verb} container "${container.id}": it is ${status}`, `${verb} needs a container that is ${allowed.join(' or ')}`);
  return status;
}

/**
 * `kit-runtime start`: open exec.fifo for reading, which lets the
 * container's init (blocked opening its write end) go on to execve. What it
 * traces from then on comes through the FIFO, which closes on the execve
 * (O_CLOEXEC): its end is the sign the command runs, or the error of its
 * execve. exec.fifo is removed: the container is running. kit-init's lines
 * go to the trace as they came (readTrace gives them their why), as the
 * native fast path writes them (native-rs/src/runtime/start.rs), which
 * leaves what it read in start.read for this function to finish a start
 * that failed.
 */
export async function startContainer(paths: KitPaths, id: string): Promise<void> {
  const container = findContainer(paths, id);
  const fifo = fifoPath(paths, id);
  const handedOver = takeStartRead(paths, id);
  let text = handedOver ?? '';
  if (handedOver === undefined) {
    expectStatus(paths, container, 'start', ['created']);
    const fd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    try {
      await readFifo(fd, container, (chunk) => (text += chunk));
    } finally {
      closeSync(fd);
      rmSync(fifo, { force: true });
    }
  } else {
    rmSync(fifo, { force: true });
  }
  const trace = traceRecorder(paths, id, 'start');
  const events = text.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as TraceEvent);
  for (const event of events) trace.add(event);
  if (handedOver !== undefined && events.length === 0) throw new KitError(`container "${id}" ended before it started`, 'its init died while waiting: see kit runtime trace ID');
  const failed = events.find((e) => e.errno !== null);
  if (failed) {
    const exec = failed.syscall === 'execve';
    throw new KitError(`${failed.syscall}(${failed.args.join(', ')}) failed: ${failed.errno} (${failed.errnoMessage})`, hintFor(failed), exec && failed.errno === 'ENOENT' ? 127 : exec ? 126 : 1);
  }
  try {
    runHooks(trace, container.hooks?.poststart, 'poststart', stateJson(paths, container, 'running'));
  } catch (err) {
    trace.host('a poststart hook failed: stop the container, as runc does', (n) => n.kill(container.init.pid, SIG.KILL));
    throw err;
  }
}

/** What the native fast path read from exec.fifo before it handed the start over, if it did (taken: read once). */
function takeStartRead(paths: KitPaths, id: string): string | undefined {
  const file = join(ociDir(paths, id), 'start.read');
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * Read the FIFO until EOF. Opened O_NONBLOCK, a read returns 0 both before
 * the writer has opened it and after it closed it: so EOF counts only once
 * something came (init's first line), and the wait ends if init dies.
 */
async function readFifo(fd: number, container: OciContainer, onText: (text: string) => void): Promise<void> {
  const buffer = Buffer.alloc(65536);
  let received = false;
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buffer, 0, buffer.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      n = -1;
    }
    if (n > 0) {
      received = true;
      onText(buffer.subarray(0, n).toString('utf8'));
      continue;
    }
    if (n === 0 && received) return;
    const stat = processStat(container.init.pid);
    if (!stat || stat.state === 'Z' || stat.startTime !== container.init.startTime) {
      if (received) return;
      throw new KitError(`container "${container.id}" ended before it started`, 'its init died while waiting: see kit runtime trace ID');
    }
    await sleep(2);
  }
}

/** `kit-runtime kill ID [SIG]`: SIG as runc takes it (9, KILL, SIGKILL); the default is SIGTERM. */
export function killContainer(paths: KitPaths, id: string, signal = 'SIGTERM', all = false): void {
  const container = findContainer(paths, id);
  expectStatus(paths, container, 'kill', ['created', 'running', 'paused']);
  const sig = parseSignal(signal);
  const trace = traceRecorder(paths, id, 'kill');
  const pids = all ? containerPids({ id, name: id, spec: container.spec, createdAt: container.created, owner: container.init, pid: container.init.pid }) : [container.init.pid];
  for (const pid of pids.length ? pids : [container.init.pid]) {
    trace.check(`kit-runtime kill: signal ${sig} to ${pid === container.init.pid ? "the container's first process" : 'one of its processes'} (host pid ${pid})`, (n) => n.kill(pid, sig));
  }
}

/**
 * `kit-runtime delete [--force] ID`: a stopped (or never started) container's
 * journal is replayed: its cgroups, mounts and state dir go. --force first
 * kills a running one. poststop hooks run last; their failure is only a
 * warning, as in runc.
 */
export async function deleteContainer(paths: KitPaths, id: string, force: boolean, warn: (line: string) => void): Promise<void> {
  const container = findContainer(paths, id);
  const status = statusOf(paths, container);
  if (status !== 'stopped' && status !== 'created' && !force) {
    throw new KitError(`cannot delete container "${id}" that is not stopped: ${status}`, 'stop it first (kit-runtime kill ID KILL), or use delete --force');
  }
  const trace = traceRecorder(paths, id, 'delete');
  if (status !== 'stopped') {
    if (status === 'paused') setPaused(trace, container.spec, id, false);
    trace.host('delete: SIGKILL to its PID 1 ends its whole PID namespace', (n) => n.kill(container.init.pid, SIG.KILL));
    await waitStopped(paths, container);
  }
  require('../undo-handlers'); // the journal may hold any kind of host change (loaded here only: start and kill need none)
  const problems = new HostChanges(join(ociDir(paths, id), 'journal'), trace).undoAll();
  if (problems.length) throw new KitError(`container "${id}" was only partly deleted: ${problems.join('; ')}`, 'run delete again once what holds it is gone');
  try {
    runHooks(trace, container.hooks?.poststop, 'poststop', stateJson(paths, container, 'stopped'));
  } catch (err) {
    warn((err as Error).message);
  }
}

async function waitStopped(paths: KitPaths, container: OciContainer): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (statusOf(paths, container) === 'stopped') return;
    await sleep(5);
  }
  throw new KitError(`container "${container.id}" did not stop after SIGKILL`, 'it may be in uninterruptible sleep: try again');
}

/** `kit-runtime pause|resume`: the cgroup freezer, as kit pause does it. */
export function pauseContainer(paths: KitPaths, id: string, paused: boolean): void {
  const container = findContainer(paths, id);
  expectStatus(paths, container, paused ? 'pause' : 'resume', [paused ? 'running' : 'paused']);
  setPaused(traceRecorder(paths, id, paused ? 'pause' : 'resume'), container.spec, id, paused);
}

/** `kit-runtime ps`: the host pids of the container's processes. */
export function containerProcesses(paths: KitPaths, id: string): number[] {
  const container = findContainer(paths, id);
  if (statusOf(paths, container) === 'stopped') return [];
  return containerPids({ id, name: id, spec: container.spec, createdAt: container.created, owner: container.init, pid: container.init.pid });
}
