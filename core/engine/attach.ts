import { connect, type Socket } from 'node:net';
import { constants } from 'node:os';
import { TraceRecorder } from '../trace/recorder';
import { KitError } from '../errors';
import type { KitPaths } from '../paths';
import type { ContainerSpec } from '../spec';
import type { TraceEvent } from '../trace/event';
import { attachSocketPath } from './attach-hub';
import { LineChannel, type ClientMessage, type ShimExit, type ShimMessage, type ShimRequest } from './attach-protocol';
import { DetachKeys } from './detach-keys';
import { spawnShim } from './detached';
import { newContainerId } from './run';
import { signalContainer } from './signal';
import type { ContainerState } from './state';

/** How an attached session ended. */
export type AttachEnd =
  /** The user typed the detach keys: the container runs on. */
  | { detached: true; id: string }
  /** The container's command ended (or never started: exit.failed). */
  | { exit: ShimExit; id: string }
  /** The container could not be made. */
  | { failed: { message: string; hint: string | null; exitCode: number }; id: string }
  /** The shim went away without a word. */
  | { lost: true; id: string };

export interface AttachOptions {
  /** The container has a terminal: kit's is made raw (stdin a terminal), its size follows kit's. */
  tty: boolean;
  /** Pass kit's stdin (docker attach without --no-stdin, docker run -i). */
  stdin: boolean;
  /** The detach sequence (parseDetachKeys); watched only on a terminal's input, as Docker does. */
  detachKeys: Buffer;
  /** Without a terminal: signals kit gets go to the container's PID 1 (docker attach --sig-proxy; docker start -a), from when it runs. */
  sigProxy?: boolean;
  /** --trace: the shim's trace events (kit run -it). */
  onEvent?: (event: TraceEvent) => void;
}

/** The signals --sig-proxy passes on (Ctrl-C and Ctrl-\ in a cooked terminal, kill from another shell). */
const PROXIED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const;

/**
 * `kit run -it` in the foreground: a shim owns the container (so it can
 * outlive this kit when the user detaches) and this kit is its first
 * attached client, from before the container starts.
 */
export function runAttached(spec: ContainerSpec, shim: string[], paths: KitPaths, options: AttachOptions, id = newContainerId()): Promise<AttachEnd> {
  return shimAttached({ spec, paths }, shim, options, id);
}

/**
 * A shim started with this kit as its first attached client (`kit run -it`,
 * `kit exec -it`): it sees the first prompt, and the detach keys leave the
 * process running, owned by the shim.
 */
export function shimAttached(request: ShimRequest, shim: string[], options: AttachOptions, id: string): Promise<AttachEnd> {
  const session = new AttachSession(id, options);
  const channel = spawnShim({ ...request, attach: { trace: options.onEvent !== undefined } }, shim, id, session.receive, session.lost);
  return session.run(channel);
}

/** `kit attach`: a client on the running container's attach socket. */
export async function attachContainer(paths: KitPaths, target: ContainerState, options: AttachOptions): Promise<AttachEnd> {
  const socket = await connectTo(attachSocketPath(paths, target.id), target.name);
  const session = new AttachSession(target.id, options, target);
  const channel = new LineChannel<ShimRequest | ClientMessage, ShimMessage>(socket, session.receive, session.lost);
  channel.send({ hello: { stdin: options.stdin } });
  return session.run(channel);
}

function connectTo(path: string, name: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.once('connect', () => resolve(socket));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new KitError(
          `cannot attach to container ${name}: ${err.code === 'ENOENT' || err.code === 'ECONNREFUSED' ? 'no shim holds its stdio' : err.message}`,
          'only containers a shim owns can be attached to (kit run -d, kit run -it, kit start); one run in the foreground belongs to that kit',
        ),
      ),
    );
  });
}

/** One attached client: kit's stdin to the container (watching for the detach keys), its output to kit's stdout and stderr. */
class AttachSession {
  private channel?: LineChannel<ShimRequest | ClientMessage, ShimMessage>;
  private finish!: (end: AttachEnd) => void;
  private readonly ended: Promise<AttachEnd>;
  private readonly cleanup: Array<() => void> = [];
  private done = false;

  private proxying = false;

  constructor(
    private readonly id: string,
    private readonly options: AttachOptions,
    /** The container, when it already runs (kit attach); else its PID 1 comes with the shim's `running`. */
    private readonly target?: Pick<ContainerState, 'name' | 'pid'>,
  ) {
    this.ended = new Promise((resolve) => (this.finish = resolve));
  }

  run(channel: LineChannel<ShimRequest | ClientMessage, ShimMessage>): Promise<AttachEnd> {
    this.channel = channel;
    if (this.options.tty) this.followWindowSize();
    if (this.options.stdin) this.passStdin();
    if (this.target) this.proxySignals(this.target);
    return this.ended;
  }

  readonly receive = (message: ShimMessage): void => {
    if ('out' in message) (message.stream === 'stderr' ? process.stderr : process.stdout).write(message.out);
    else if ('running' in message) this.proxySignals({ name: this.id, pid: message.running.pid });
    else if ('event' in message) this.options.onEvent?.(message.event);
    else if ('exit' in message) this.end({ exit: message.exit, id: this.id });
    else if ('failed' in message) this.end({ failed: message.failed, id: this.id });
  };

  readonly lost = (): void => this.end({ lost: true, id: this.id });

  private end(end: AttachEnd): void {
    if (this.done) return;
    this.done = true;
    while (this.cleanup.length > 0) this.cleanup.pop()!();
    this.channel?.destroy();
    this.finish(end);
  }

  private send(message: ClientMessage): void {
    this.channel?.send(message);
  }

  /** Kit's terminal raw (its keys, Ctrl-C included, go to the container's terminal), restored however kit ends. */
  private passStdin(): void {
    const stdin = process.stdin;
    const raw = this.options.tty && stdin.isTTY;
    if (raw) {
      stdin.setRawMode(true);
      const back = () => stdin.setRawMode(false);
      process.once('exit', back);
      this.cleanup.push(() => {
        back();
        process.off('exit', back);
      });
    }
    const keys = raw ? new DetachKeys(this.options.detachKeys) : undefined;
    const forward = (chunk: Buffer) => {
      const { pass, detach } = keys ? keys.feed(chunk) : { pass: chunk, detach: false };
      if (pass.length > 0) this.send({ in: pass.toString('base64') });
      if (detach) this.end({ detached: true, id: this.id });
    };
    stdin.on('data', forward);
    stdin.resume();
    this.cleanup.push(() => {
      stdin.off('data', forward);
      stdin.pause();
    });
  }

  private followWindowSize(): void {
    if (!process.stdout.isTTY) return;
    const resize = () => {
      const { rows, columns } = process.stdout;
      if (rows > 0 && columns > 0) this.send({ resize: { rows, cols: columns } });
    };
    resize();
    process.on('SIGWINCH', resize);
    this.cleanup.push(() => process.off('SIGWINCH', resize));
  }

  private proxySignals(target: Pick<ContainerState, 'name' | 'pid'>): void {
    if (this.options.tty || !this.options.sigProxy || this.proxying || this.done) return;
    this.proxying = true;
    for (const name of PROXIED) {
      const pass = () => {
        try {
          signalContainer(new TraceRecorder(), target, constants.signals[name]);
        } catch {
          // it has just exited: its exit is on its way
        }
      };
      process.on(name, pass);
      this.cleanup.push(() => process.off(name, pass));
    }
  }
}
