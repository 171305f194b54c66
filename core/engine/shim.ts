import { Socket } from 'node:net';
import { join } from 'node:path';
import { KitError } from '../errors';
import { containerDir, type KitPaths } from '../paths';
import type { ShimReply, ShimRequest } from './detached';
import { startFailure } from './outcome';
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
  try {
    const result = await runContainer(request.spec, {
      id,
      paths: request.paths,
      stdio: logFiles(request.paths, id),
      onRunning: (pid) => reply({ running: { id, pid } }),
    });
    const failed = startFailure(result);
    if (failed) reply(failure(id, failed));
  } catch (err) {
    reply(failure(id, err instanceof KitError ? err : new KitError((err as Error).message)));
  }
  channel.destroy();
}

export function logFiles(paths: KitPaths, id: string): { stdout: string; stderr: string } {
  const dir = containerDir(paths, id);
  return { stdout: join(dir, 'stdout.log'), stderr: join(dir, 'stderr.log') };
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
