import { setTimeout as sleep } from 'node:timers/promises';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { KitError } from '../errors';
import { containerDir, type KitPaths } from '../paths';
import type { ContainerSpec } from '../spec';
import { attachSocketPath, AttachHub } from './attach-hub';
import { LineChannel, type ClientMessage, type ShimMessage, type ShimRequest } from './attach-protocol';
import { shellStatus } from './outcome';
import { LogWriter } from './log-file';
import { readRecord, recordDir, updateRecord } from './record';
import { restartDelayMs, shouldRestart } from './restart-policy';
import { runContainer } from './run';

/** fd 3 of the shim: the socket to the `kit run` that started it. */
const CHANNEL_FD = 3;

type Failed = Extract<ShimMessage, { failed: unknown }>['failed'];

/**
 * The shim of a container kit does not run in its own process (`kit run -d`,
 * `kit run -it`, `kit start`; see detached.ts): reads its request, runs the
 * container to the end with its output going to its log and to every
 * attached client (attach-hub.ts), what they type to its stdin, and tells a
 * `kit run -d` once the command runs or why it did not start. It owns the
 * container (state.json's owner): if it dies, PDEATHSIG kills the container
 * and the next kit command replays its journal.
 */
export async function runShim(id: string): Promise<void> {
  const socket = new Socket({ fd: CHANNEL_FD, readable: true, writable: true });
  const starter = startingChannel(socket);
  const request = await starter.request;
  const { spec, paths } = request;
  const hub = new AttachHub(spec.interactive === true);
  // `kit run -it`: the starting kit is the first attached client; `kit run -d` waits for one reply.
  let waiting: LineChannel<ShimMessage, unknown> | undefined = starter.channel;
  if (request.attach) {
    starter.attach(hub.adopt(starter.channel, { stdin: true, trace: request.attach.trace }));
    waiting = undefined;
  }
  // The attached starter hears that the container runs too (kit start -a passes signals on from then).
  let attached = request.attach ? starter.channel : undefined;
  const reply = (message: ShimMessage) => {
    if (!waiting && 'running' in message) attached?.send(message);
    attached = undefined; // once: the reply after the exit is not news to it
    waiting?.end(message);
    waiting = undefined;
  };
  let log: LogWriter | undefined;
  const output = (stream: 'stdout' | 'stderr', text: string) => {
    log ??= new LogWriter(logFile(paths, id), spec.logMaxBytes);
    log.write(stream, text);
  };
  try {
    for (;;) {
      const result = await runContainer(spec, {
        id,
        paths,
        stdio: hub.relay(output),
        stdin: spec.interactive ? 'relay' : 'null',
        onEvent: (event) => hub.event(event),
        // Once the attach socket is there, so `kit attach` works as soon as `kit run -d` returns.
        onRunning: (pid) => void hub.listen(attachSocketPath(paths, id)).then(() => reply({ running: { id, pid } })),
      });
      const exit = { exitCode: result.exitCode, signal: result.signal, oomKilled: result.oomKilled, notes: result.notes, failed: result.failed };
      reply(result.failed ? { exit } : { running: { id, pid: result.pid } }); // a command that ended before the socket was up still ran
      hub.exited(exit);
      if (!(await restartDue(paths, id, spec, shellStatus(result)))) break;
    }
  } catch (err) {
    const failed = failure(err instanceof KitError ? err : new KitError((err as Error).message));
    reply({ failed });
    hub.failed(failed);
  } finally {
    log?.close();
  }
  socket.destroy();
}

/**
 * The socket from the starting kit: its first line is the request; a
 * `kit run -it` goes on on it as an attached client (attach() hands its
 * later lines to the hub).
 */
function startingChannel(socket: Socket) {
  let first = true;
  // Lines after the request may come in the same read, before attach(): kept for it (input typed ahead).
  const early: ClientMessage[] = [];
  let receive: (message: ClientMessage) => void = (message) => void (early.length < 1024 && early.push(message));
  let gone: () => void = () => undefined;
  let resolve!: (request: ShimRequest) => void;
  let reject!: (err: Error) => void;
  const request = new Promise<ShimRequest>((res, rej) => ((resolve = res), (reject = rej)));
  const channel = new LineChannel<ShimMessage, ShimRequest | ClientMessage>(
    socket,
    (message) => {
      if (!first) return receive(message as ClientMessage);
      first = false;
      resolve(message as ShimRequest);
    },
    () => {
      reject(new Error('the starting kit closed the socket before sending its request'));
      gone();
    },
  );
  return {
    channel,
    request,
    attach(client: { received: (message: ClientMessage) => void; gone: () => void }) {
      receive = client.received;
      gone = client.gone;
      for (const message of early.splice(0)) receive(message);
    },
  };
}

/**
 * --restart: whether to run the container again, after Docker's growing
 * delay; asked again after the delay, since kit stop or kit rm may have come
 * meanwhile. The restart is counted in its record (RestartCount).
 */
async function restartDue(paths: KitPaths, id: string, spec: ContainerSpec, exitCode: number): Promise<boolean> {
  const before = readRecord(paths, id);
  if (!shouldRestart(spec.restart, before, exitCode)) return false;
  await sleep(restartDelayMs(before!.restartCount));
  if (!shouldRestart(spec.restart, readRecord(paths, id), exitCode)) return false;
  updateRecord(paths, id, (r) => ({ ...r, restartCount: r.restartCount + 1 }));
  return true;
}

/**
 * Where a container's output is logged: with its record when it is kept
 * (the log outlives the run, for `kit logs` after the exit), else in its
 * state dir (gone with it).
 */
export function logFile(paths: KitPaths, id: string): string {
  const dir = readRecord(paths, id) ? recordDir(paths, id) : containerDir(paths, id);
  return join(dir, 'container.log');
}

function failure(err: KitError): Failed {
  return { message: err.message, hint: err.hint ?? null, exitCode: err.exitCode };
}
