import { setTimeout as sleep } from 'node:timers/promises';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { KitError } from '../errors';
import { containerDir, type KitPaths } from '../paths';
import type { ContainerSpec } from '../spec';
import type { ShimReply, ShimRequest } from './detached';
import { shellStatus, startFailure } from './outcome';
import { LogWriter } from './log-file';
import { readRecord, recordDir, updateRecord } from './record';
import { restartDelayMs, shouldRestart } from './restart-policy';
import { runContainer } from './run';

/** fd 3 of the shim: the socket to the `kit run -d` that started it. */
const CHANNEL_FD = 3;

/**
 * The shim of a detached container (see detached.ts): reads its request,
 * runs the container to the end with its stdout and stderr going to log
 * files in the state dir, and tells the starting kit once the command runs
 * or why it did not start. It owns the container (state.json's owner): if
 * it dies, PDEATHSIG kills the container and the next kit command replays
 * its journal.
 */
export async function runShim(id: string): Promise<void> {
  const channel = new Socket({ fd: CHANNEL_FD, readable: true, writable: true });
  channel.on('error', () => undefined); // the starting kit has gone: nobody left to tell
  const request = JSON.parse(await readLine(channel)) as ShimRequest;
  const reply = (message: ShimReply) => {
    if (!channel.writable) return;
    channel.end(JSON.stringify(message) + '\n');
  };
  let log: LogWriter | undefined;
  const { spec, paths } = request;
  try {
    for (;;) {
      const result = await runContainer(spec, {
        id,
        paths,
        stdio: {
          output: (stream, text) => {
            log ??= new LogWriter(logFile(paths, id), spec.logMaxBytes);
            log.write(stream, text);
          },
        },
        onRunning: (pid) => reply({ running: { id, pid } }),
      });
      const failed = startFailure(result);
      if (failed) reply(failure(id, failed));
      if (!(await restartDue(paths, id, spec, shellStatus(result)))) break;
    }
  } catch (err) {
    reply(failure(id, err instanceof KitError ? err : new KitError((err as Error).message)));
  } finally {
    log?.close();
  }
  channel.destroy();
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

function failure(id: string, err: KitError): ShimReply {
  return { failed: { message: `container ${id} did not start: ${err.message}`, hint: err.hint ?? null, exitCode: err.exitCode } };
}

function readLine(channel: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (!text.includes('\n')) return;
      channel.off('data', onData);
      resolve(text.slice(0, text.indexOf('\n')));
    };
    channel.on('data', onData);
    channel.on('close', () => reject(new Error('the starting kit closed the socket before sending its request')));
  });
}
