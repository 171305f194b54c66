import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { containerDir, type KitPaths } from '../paths';
import type { TraceEvent } from '../trace/event';
import { LineChannel, type ClientMessage, type ShimExit, type ShimMessage } from './attach-protocol';
import type { ContainerInput, Relay } from './channels';

/** Where a running container's shim listens for `kit attach`: in its state dir, closed to other users. */
export function attachSocketPath(paths: KitPaths, id: string): string {
  return join(containerDir(paths, id), 'attach.sock');
}

interface Client {
  channel: LineChannel<ShimMessage, unknown>;
  /** Its input goes to the container (it attached stdin, and the container keeps stdin open). */
  stdin: boolean;
  /** It wants the trace events (`kit run --trace -it`). */
  trace: boolean;
}

/** What is kept of input typed before the container can take it (a client typing while it starts). */
const PENDING_MAX = 64 * 1024;

/**
 * The shim's side of attaching, as containerd's shim holds a container's
 * stdio for dockerd: every client gets the container's output as it comes
 * (each line naming stdout or stderr), every client that attached stdin
 * writes into the container's one stdin (its pipe, or its terminal's
 * master), and the last resize wins. Clients come and go (Ctrl-P Ctrl-Q, a
 * killed `kit attach`); the container and its stdin stay.
 */
export class AttachHub {
  private readonly clients = new Set<Client>();
  private input?: ContainerInput;
  private pending: Buffer[] = [];
  private size?: { rows: number; cols: number };
  private server?: Server;

  /** `interactive`: the container keeps stdin open (docker run -i), so clients may write to it. */
  constructor(private readonly interactive: boolean) {}

  /** The container's stdio for runContainer: output to `log` and every client, input from them. */
  relay(log: (stream: 'stdout' | 'stderr', text: string) => void): Relay {
    return {
      output: (stream, text) => {
        log(stream, text);
        for (const client of this.clients) client.channel.send({ out: text, stream });
      },
      input: (input) => {
        this.input = input;
        if (this.size) input.resize?.(this.size.rows, this.size.cols);
        for (const chunk of this.pending) input.write(chunk);
        this.pending = [];
      },
    };
  }

  /**
   * A client on a channel that was open before the container started
   * (`kit run -it`'s): the caller hands on its messages and says when it
   * has gone.
   */
  adopt(channel: LineChannel<ShimMessage, unknown>, options: { stdin: boolean; trace: boolean }): { received: (message: ClientMessage) => void; gone: () => void } {
    const client: Client = { channel, ...options };
    this.clients.add(client);
    return { received: (message) => this.received(client, message), gone: () => this.clients.delete(client) };
  }

  /** A trace event, for the clients that asked for them. */
  event(event: TraceEvent): void {
    for (const client of this.clients) if (client.trace) client.channel.send({ event });
  }

  /** Start taking `kit attach` clients on the attach socket. Resolves false if it could not listen (attaching is then refused, the container runs on). */
  listen(path: string): Promise<boolean> {
    this.close();
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(path, () => resolve(true));
    });
  }

  /** The run is over: every client is told how, and let go; a restart opens the socket again. */
  exited(exit: ShimExit): void {
    for (const client of this.clients) client.channel.end({ exit });
    this.clients.clear();
    this.input = undefined;
    this.close();
  }

  /** The container could not be made: said to every client, which then goes. */
  failed(failed: Extract<ShimMessage, { failed: unknown }>['failed']): void {
    for (const client of this.clients) client.channel.end({ failed });
    this.clients.clear();
    this.close();
  }

  private accept(socket: Socket): void {
    const client: Client = { channel: undefined!, stdin: false, trace: false };
    client.channel = new LineChannel(socket, (m: ClientMessage) => this.received(client, m), () => this.clients.delete(client));
    this.clients.add(client);
  }

  private close(): void {
    this.server?.close();
    this.server = undefined;
  }

  private received(client: Client, message: ClientMessage): void {
    if ('hello' in message) {
      client.stdin = message.hello.stdin === true;
    } else if ('in' in message) {
      if (!client.stdin || !this.interactive || typeof message.in !== 'string') return;
      const chunk = Buffer.from(message.in, 'base64');
      if (this.input) this.input.write(chunk);
      else if (this.pending.reduce((n, b) => n + b.length, 0) < PENDING_MAX) this.pending.push(chunk);
    } else if ('resize' in message) {
      const { rows, cols } = message.resize ?? {};
      if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows <= 0 || cols <= 0 || rows > 0xffff || cols > 0xffff) return;
      this.size = { rows, cols };
      this.input?.resize?.(rows, cols);
    }
  }
}
