import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { KitError } from '../errors';
import { kitPaths, type KitPaths } from '../paths';
import type { ContainerSpec } from '../spec';
import { LineChannel, type ClientMessage, type ShimMessage, type ShimRequest } from './attach-protocol';
import { failureOf } from './outcome';
import { newContainerId } from './run';

/**
 * `kit run -d`: the container must outlive the kit command that starts it,
 * yet something must wait for it and undo its host changes when it ends.
 * As Docker hands each container to a containerd-shim, kit starts a shim
 * (`kit shim <id>`, core/engine/shim.ts): its own session, no terminal, the
 * container's owner until the end. This side and the shim talk over one
 * socket (the shim's fd 3), one JSON object a line (attach-protocol.ts): the
 * request goes in, one reply comes back once the command runs or has failed
 * to start, and `kit run -d` exits. `kit run -it` keeps the socket as its
 * attached client instead (attach.ts), so it can detach.
 */
export interface Detached {
  id: string;
  name: string;
  /** The container's first process, as the host sees it. */
  pid: number;
}

/**
 * Start a shim for `spec`. `shim` is the argv that runs `kit shim` (the CLI
 * knows where it is installed); the id is appended (an existing kept
 * container's, for `kit start`). `onMessage` gets every line the shim sends.
 */
export function spawnShim(request: ShimRequest, shim: string[], id: string, onMessage: (message: ShimMessage) => void, onClose: () => void): LineChannel<ShimRequest | ClientMessage, ShimMessage> {
  const child = spawn(shim[0], [...shim.slice(1), id], { detached: true, cwd: '/', stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  child.unref(); // the shim lives on: kit exits without waiting for it
  const channel = new LineChannel<ShimRequest | ClientMessage, ShimMessage>(child.stdio[3] as Socket, onMessage, onClose);
  channel.send(request);
  return channel;
}

/** Start `spec` detached. Resolves once the command runs; a container that failed to start throws its error here. */
export async function startDetached(spec: ContainerSpec, shim: string[], paths: KitPaths = kitPaths(), id = newContainerId()): Promise<Detached> {
  const pid = await shimStarted({ spec, paths }, shim, id, { what: `container ${id}`, hint: 'run it in the foreground (without -d) to see why' });
  return { id, name: spec.name ?? id, pid };
}

/**
 * Start a shim for `request` and wait for its one reply: the pid of the
 * process once its command runs. One that did not start throws its error,
 * after `prefix` (`container <id> did not start: `); a command that could
 * not be exec'd throws the error a foreground run gives (126, 127...).
 */
export async function shimStarted(request: ShimRequest, shim: string[], id: string, about: { what: string; hint: string; prefix?: string }): Promise<number> {
  const prefix = about.prefix ?? `${about.what} did not start: `;
  let channel: LineChannel<ShimRequest | ClientMessage, ShimMessage> | undefined;
  try {
    const reply = await new Promise<ShimMessage | undefined>((resolve) => {
      channel = spawnShim(request, shim, id, resolve, () => resolve(undefined));
    });
    if (reply === undefined) throw new KitError(`the shim of ${about.what} ended before its command started`, about.hint);
    if ('failed' in reply) throw new KitError(prefix + reply.failed.message, reply.failed.hint ?? undefined, reply.failed.exitCode);
    if ('exit' in reply && reply.exit.failed) {
      const err = failureOf(reply.exit.failed, reply.exit.exitCode ?? 125);
      throw new KitError(prefix + err.message, err.hint, err.exitCode);
    }
    if (!('running' in reply)) throw new KitError(`the shim of ${about.what} answered out of turn`);
    return reply.running.pid;
  } finally {
    channel?.destroy();
  }
}
