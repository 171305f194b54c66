import type { Writable } from 'node:stream';
import { Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import type { ContainerLog } from './container-log';
import type { Stream } from './log-file';

/**
 * A foreground `kit run`'s output, as Docker's client and its json-file
 * driver together: the container writes to pipes, and kit copies each read
 * (up to 64 KiB, libuv's) to its own stdout or stderr as it comes, the bytes
 * untouched (never decoded: a binary piped through `kit run ... > file`
 * arrives whole), and gives the same read to the container's log, where it
 * becomes lines (log-file.ts). Inheriting kit's fds would cost a little less,
 * but then kit never sees the output and `kit logs` has nothing after the run.
 * Backpressure is kept: a slow reader of kit's output pauses the copy, so the
 * container blocks on a full pipe as it would writing to the reader itself.
 */
export class ForegroundOutput {
  private readonly decoders: Record<Stream, StringDecoder> = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };

  /**
   * log: the container's log (container-log.ts). beforeWrite: called
   * before each piece goes to kit's terminal (a --trace printer writes the
   * lines it holds first, so the order stays the run's).
   */
  constructor(
    private readonly log: ContainerLog,
    private readonly beforeWrite?: () => void,
  ) {}

  /**
   * Copy one of the container's output pipes (the socket takes the fd),
   * from the moment `after` settles: kit-init's trace is then whole, up to
   * its execve, so with --trace the command's output follows that line, as
   * it did when the container wrote to kit's terminal itself. `done`
   * resolves once the pipe is read to its end and kit's stream has taken
   * all of it, so kit does not end with output still queued.
   */
  copy(fd: number, stream: Stream, after: Promise<unknown>): { socket: Socket; done: Promise<void> } {
    const socket = new Socket({ fd, readable: true, writable: true });
    const target: Writable = stream === 'stdout' ? process.stdout : process.stderr;
    const start = () =>
      socket.on('data', (chunk: Buffer) => {
        this.beforeWrite?.();
        // A slow reader of kit's output: stop reading until it drains (the container then blocks on a full pipe).
        if (!target.write(chunk)) {
          socket.pause();
          target.once('drain', () => socket.resume());
        }
        this.logged(stream, chunk);
      });
    after.then(start, start);
    const done = new Promise<void>((resolve) => {
      const drained = () => (target.writableNeedDrain ? target.once('drain', resolve) : resolve());
      socket.on('close', drained);
      socket.on('error', () => resolve());
    });
    return { socket, done };
  }

  /** A terminal's output (-t): stdout and stderr are one stream there, logged as stdout as Docker logs a tty container. */
  terminal(chunk: Buffer): void {
    this.beforeWrite?.();
    process.stdout.write(chunk);
    this.logged('stdout', chunk);
  }

  /** The output has ended: a last line without its newline is logged as it is. */
  close(): void {
    for (const stream of ['stdout', 'stderr'] as const) this.log.write(stream, this.decoders[stream].end());
    this.log.close();
  }

  private logged(stream: Stream, chunk: Buffer): void {
    this.log.write(stream, this.decoders[stream].write(chunk));
  }
}
