import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { KitError } from '../errors';
import { kitPaths, type KitPaths } from '../paths';
import type { ContainerSpec } from '../spec';
import { newContainerId } from './run';

/**
 * `kit run -d`: the container must outlive the kit command that starts it,
 * yet something must wait for it and undo its host changes when it ends.
 * As Docker hands each container to a containerd-shim, kit starts a shim
 * (`kit shim <id>`, core/engine/shim.ts): its own session, no terminal, the
 * container's owner until the end. This side and the shim talk over one
 * socket (the shim's fd 3): the request goes in, one reply comes back once
 * the command runs or has failed to start, and `kit run -d` exits.
 */
export interface ShimRequest {
  spec: ContainerSpec;
  paths: KitPaths;
}

export type ShimReply =
  | { running: { id: string; pid: number } }
  | { failed: { message: string; hint: string | null; exitCode: number } };

export interface Detached {
  id: string;
  name: string;
  /** The container's first process, as the host sees it. */
  pid: number;
}

/**
 * Start `spec` detached. `shim` is the argv that runs `kit shim` (the CLI
 * knows where it is installed); the id is appended (an existing kept
 * container's, for `kit start`). Resolves once the
 * command runs; a container that failed to start throws its error here.
 */
export async function startDetached(spec: ContainerSpec, shim: string[], paths: KitPaths = kitPaths(), id = newContainerId()): Promise<Detached> {
  const child = spawn(shim[0], [...shim.slice(1), id], { detached: true, cwd: '/', stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  const channel = child.stdio[3] as Socket;
  const request: ShimRequest = { spec, paths };
  channel.write(JSON.stringify(request) + '\n');
  try {
    const reply = await readReply(channel);
    if (reply === undefined) throw new KitError(`the shim of container ${id} ended before the container started`, 'run it in the foreground (without -d) to see why');
    if ('failed' in reply) throw new KitError(reply.failed.message, reply.failed.hint ?? undefined, reply.failed.exitCode);
    return { id, name: spec.name ?? id, pid: reply.running.pid };
  } finally {
    channel.destroy();
    child.unref(); // the shim lives on: kit run -d exits now
  }
}

/** The shim's one line, or undefined if it closed the socket without one. */
function readReply(channel: Socket): Promise<ShimReply | undefined> {
  return new Promise((resolve) => {
    let text = '';
    channel.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('\n')) resolve(JSON.parse(text.slice(0, text.indexOf('\n'))) as ShimReply);
    });
    channel.on('close', () => resolve(undefined));
    channel.on('error', () => resolve(undefined));
  });
}
