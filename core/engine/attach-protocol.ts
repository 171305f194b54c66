import type { Socket } from 'node:net';
import type { KitPaths } from '../paths';
import type { ContainerSpec } from '../spec';
import type { ExecProcess } from './exec';
import type { TraceEvent } from '../trace/event';

/**
 * What a shim (core/engine/shim.ts) and the kit commands that talk to it say
 * to each other, one JSON object a line, on the socket `kit run` started it
 * with (fd 3) and on the container's attach socket (`kit attach`). As
 * Docker's attach stream multiplexes stdout and stderr, each output message
 * names its stream.
 */

/** The first line from the starting kit to its shim: a container to run, or a process to exec in one. */
export type ShimRequest = ContainerShimRequest | ExecShimRequest;

/** From `kit run -d`/`-it` and `kit start`: the container to run. */
export interface ContainerShimRequest {
  spec: ContainerSpec;
  paths: KitPaths;
  /**
   * `kit run -it` in the foreground: this socket stays open as the first
   * attached client, from before the container starts (so it sees the
   * first prompt), until it detaches or the container ends. `trace`: the
   * trace events too, for --trace.
   */
  attach?: { trace: boolean };
}

/** From `kit exec -d`/`-it`: a process to start in a running container, which the shim then waits for (exec-shim.ts). */
export interface ExecShimRequest {
  exec: {
    /** The container's id. */
    container: string;
    command: string[];
    process: ExecProcess;
    /** -t: the pty's first size. */
    tty?: { rows: number; cols: number };
    /** -i: its stdin stays open for the attached client. */
    interactive: boolean;
  };
  paths: KitPaths;
  /** `kit exec -it`: the first attached client, as ContainerShimRequest's. */
  attach?: { trace: boolean };
}

/** From a client on the attach socket, first: what it attaches. */
export interface AttachHello {
  hello: { stdin: boolean };
}

/** What a client sends. */
export type ClientMessage =
  | AttachHello
  /** What the user typed (base64: a terminal sends any byte). */
  | { in: string }
  /** The client's terminal size, at attach and on SIGWINCH (-t containers). */
  | { resize: { rows: number; cols: number } };

/** How a run of the container ended, as its shim tells its clients. */
export interface ShimExit {
  exitCode: number | null;
  signal: string | null;
  oomKilled: boolean;
  notes: string[];
  /** The container-side call that stopped the container before its command ran. */
  failed?: TraceEvent;
}

/** What a shim sends. */
export type ShimMessage =
  | { running: { id: string; pid: number } }
  /** The container could not be made (a KitError in the shim): no exit follows. */
  | { failed: { message: string; hint: string | null; exitCode: number } }
  | { event: TraceEvent }
  | { out: string; stream: 'stdout' | 'stderr' }
  | { exit: ShimExit };

/** The longest line kept waiting for its end: a peer that sends more without a newline is cut off. */
const MAX_LINE = 4 * 1024 * 1024;

/** What may wait unsent to a peer that does not read: past it the peer is let go, the container's output is never held back for it. */
const MAX_UNSENT = 8 * 1024 * 1024;

/** One JSON object a line each way on a socket; a malformed or overlong line ends the conversation. */
export class LineChannel<Send, Receive> {
  private buffered = '';
  private closed = false;

  constructor(
    readonly socket: Socket,
    onMessage: (message: Receive) => void,
    onClose: () => void = () => undefined,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffered += chunk;
      for (let nl = this.buffered.indexOf('\n'); nl >= 0; nl = this.buffered.indexOf('\n')) {
        const line = this.buffered.slice(0, nl);
        this.buffered = this.buffered.slice(nl + 1);
        if (!line) continue;
        let message: Receive;
        try {
          message = JSON.parse(line) as Receive;
        } catch {
          socket.destroy();
          return;
        }
        onMessage(message);
      }
      if (this.buffered.length > MAX_LINE) socket.destroy();
    });
    const close = () => {
      if (this.closed) return;
      this.closed = true;
      onClose();
    };
    socket.on('error', () => socket.destroy());
    socket.on('close', close);
  }

  get open(): boolean {
    return !this.closed && this.socket.writable;
  }

  send(message: Send): void {
    if (!this.open) return;
    if (this.socket.writableLength > MAX_UNSENT) return void this.socket.destroy();
    this.socket.write(JSON.stringify(message) + '\n');
  }

  /** Send the last message, then close once it is written. */
  end(message?: Send): void {
    if (!this.open) return;
    if (message === undefined) this.socket.end();
    else this.socket.end(JSON.stringify(message) + '\n');
  }

  destroy(): void {
    this.socket.destroy();
  }
}
