import { writeSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import type { TraceRecorder } from '../trace/recorder';
import type { ContainerInput } from './channels';

/** What the container's terminal is connected to on kit's side. */
export interface ConsoleIo {
  /** The pty's output (the container's stdout and stderr, merged as a terminal merges them). */
  output: (chunk: Buffer) => void;
  /** Pass kit's stdin to it: raw when it is a terminal, so Ctrl-C, Ctrl-Z and Ctrl-D reach the container's foreground process group, not kit. */
  input: boolean;
  /** Or input comes from elsewhere (the shim's attached clients): handed the terminal's input once it is connected. */
  relay?: (input: ContainerInput) => void;
}

/**
 * kit's end of a `kit run -t` container's terminal (the container's end is
 * native-rs/src/init/console.rs): it receives the pty's master over the
 * console socket once kit-init has sent it, copies the container's output
 * out and kit's stdin in, keeps the window size in step with kit's
 * terminal (SIGWINCH), and puts kit's terminal back as it found it
 * (cooked mode) however the run ends.
 */
export class Console {
  private master?: ReadStream;
  private fd = -1;
  private readonly ended: Promise<void>;
  private endOutput!: () => void;
  private readonly restore: Array<() => void> = [];
  private writer?: FdWriter;

  constructor(
    private readonly trace: TraceRecorder,
    private socket: number | undefined,
    private readonly io: ConsoleIo,
  ) {
    this.ended = new Promise((resolve) => (this.endOutput = resolve));
  }

  /** kit-init's sendmsg is in its trace: take the master and connect it. */
  take(): void {
    if (this.socket === undefined) return;
    const fd = this.trace.host("receive the container's pty master (SCM_RIGHTS on the console socket)", (n) => n.recvFd(this.socket!));
    this.closeSocket();
    if (fd < 0) return this.endOutput();
    this.fd = fd;
    this.connect();
  }

  /** Resolves once the container's output has been read to its end (all its processes closed the pty). */
  async drained(): Promise<void> {
    if (this.fd < 0) return;
    await this.ended;
  }

  /** Back to how kit found its terminal; the master and the socket closed. Safe to call more than once. */
  close(): void {
    while (this.restore.length > 0) this.restore.pop()!();
    this.master?.destroy();
    this.master = undefined;
    this.writer?.stop();
    this.closeSocket();
    this.endOutput();
  }

  private closeSocket(): void {
    if (this.socket === undefined) return;
    const fd = this.socket;
    this.socket = undefined;
    this.trace.host('the console socket has done its work', (n) => n.close(fd));
  }

  private connect(): void {
    const master = new ReadStream(this.fd);
    this.master = master;
    master.on('data', (chunk: Buffer) => this.io.output(chunk)); // bytes: whoever wants text decodes them
    // Once every process of the container has closed the slave, reading the master fails with EIO: that is its end.
    master.on('error', () => this.endOutput());
    master.on('close', () => this.endOutput());
    master.on('end', () => this.endOutput());
    this.writer = new FdWriter(this.fd);
    this.followWindowSize();
    if (this.io.input) this.passInput();
    this.io.relay?.({ write: (chunk) => this.writer?.write(chunk), resize: (rows, cols) => this.resize(rows, cols, "an attached client's terminal was resized: so is the container's (it gets SIGWINCH)") });
  }

  private resize(rows: number, cols: number, why: string): void {
    if (this.fd < 0 || !this.master || rows <= 0 || cols <= 0) return;
    this.trace.host(why, (n) => n.setWindowSize(this.fd, rows, cols));
  }

  private followWindowSize(): void {
    if (!process.stdout.isTTY) return;
    const resize = () => this.resize(process.stdout.rows, process.stdout.columns, "kit's terminal was resized: so is the container's (it gets SIGWINCH)");
    process.on('SIGWINCH', resize);
    this.restore.push(() => process.off('SIGWINCH', resize));
  }

  private passInput(): void {
    const stdin = process.stdin;
    if (stdin.isTTY) {
      stdin.setRawMode(true);
      const back = () => stdin.setRawMode(false);
      process.once('exit', back); // even if kit dies of an exception
      this.restore.push(() => {
        back();
        process.off('exit', back);
      });
    }
    const forward = (chunk: Buffer) => this.writer?.write(chunk);
    stdin.on('data', forward);
    stdin.resume();
    this.restore.push(() => {
      stdin.off('data', forward);
      stdin.pause();
    });
  }
}

/**
 * Writes to the pty's master, which is non-blocking (libuv made it so): what
 * a full terminal does not take now is kept and retried shortly, so a
 * container that does not read its terminal never blocks kit (or its shim,
 * which relays every attached client and the log at once). A closed one is
 * dropped.
 */
class FdWriter {
  private readonly queue: Buffer[] = [];
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly fd: number) {}

  write(chunk: Buffer): void {
    if (this.stopped) return;
    this.queue.push(chunk);
    if (!this.timer) this.flush();
  }

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    if (this.timer) clearTimeout(this.timer);
  }

  private flush(): void {
    this.timer = undefined;
    while (this.queue.length > 0 && !this.stopped) {
      const chunk = this.queue[0];
      let written: number;
      try {
        written = writeSync(this.fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return this.stop();
        this.timer = setTimeout(() => this.flush(), RETRY_MS);
        return;
      }
      if (written < chunk.length) this.queue[0] = chunk.subarray(written);
      else this.queue.shift();
    }
  }
}

/** How soon a full terminal is written to again. */
const RETRY_MS = 10;
