import { Socket } from 'node:net';
import { KitError } from '../errors';
import type { AttachHub } from './attach-hub';
import { LineChannel, type ClientMessage, type ShimMessage, type ShimRequest } from './attach-protocol';

/** fd 3 of a shim: the socket to the kit command that started it. */
const CHANNEL_FD = 3;

export type ShimFailure = Extract<ShimMessage, { failed: unknown }>['failed'];

/**
 * The socket from the starting kit (a container's shim and an exec's alike):
 * its first line is the request; a `kit run -it` or `kit exec -it` goes on
 * on it as an attached client (attach() hands its later lines to the hub).
 */
export function startingChannel() {
  const socket = new Socket({ fd: CHANNEL_FD, readable: true, writable: true });
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
    socket,
    channel,
    request,
    attach(client: { received: (message: ClientMessage) => void; gone: () => void }) {
      receive = client.received;
      gone = client.gone;
      for (const message of early.splice(0)) receive(message);
    },
  };
}

export type StartingChannel = ReturnType<typeof startingChannel>;

/**
 * How a shim answers the kit that started it. A detaching starter
 * (`kit run -d`, `kit exec -d`) waits for one reply (the command runs, or
 * why it did not start) and goes; an attached one (`-it`) becomes the hub's
 * first client, from before the process starts, and hears `running` too
 * (kit start -a passes signals on from then), once.
 */
export function starterReplies(starter: StartingChannel, hub: AttachHub, attach: { trace: boolean } | undefined): (message: ShimMessage) => void {
  let waiting: LineChannel<ShimMessage, unknown> | undefined = starter.channel;
  let attached: LineChannel<ShimMessage, unknown> | undefined;
  if (attach) {
    starter.attach(hub.adopt(starter.channel, { stdin: true, trace: attach.trace }));
    waiting = undefined;
    attached = starter.channel;
  }
  return (message) => {
    if (!waiting && 'running' in message) attached?.send(message);
    attached = undefined; // once: the reply after the exit is not news to it
    waiting?.end(message);
    waiting = undefined;
  };
}

export function shimFailure(err: unknown): ShimFailure {
  const known = err instanceof KitError ? err : new KitError((err as Error).message);
  return { message: known.message, hint: known.hint ?? null, exitCode: known.exitCode };
}
