import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { chalk } from '../../core';
import type { Chunk } from './run-stream';

export interface Pacing {
  /** Seconds to pause before each new section (0: none). */
  pace: number;
  /** Wait for Enter before each new section. */
  step: boolean;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** Quiet this long and the terminal shows a spinner: the run is slow here, not stuck. */
const SPIN_AFTER_MS = 400;

/**
 * Where rendered chunks go on their way to the terminal: written at once,
 * or held at section starts (--pace, --step) while the run goes on behind
 * them. On a terminal, a pause in the run shows a spinner line, erased
 * before the next text; piped output gets only the text.
 */
export class LiveOutput {
  private queue: Chunk[] = [];
  private draining?: Promise<void>;
  /** A drain is under way: it takes what is pushed meanwhile. */
  private active = false;
  private spinner?: NodeJS.Timeout;
  private spinning = false;
  private frame = 0;
  private quietSince = Date.now();
  private sectionsSeen = 0;
  private lines?: AsyncIterator<string>;
  /** --step holds sections until Ctrl-C. */
  private held = true;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly pacing: Pacing = { pace: 0, step: false },
    private readonly input: NodeJS.ReadableStream = process.stdin,
  ) {}

  push(chunk: Chunk): void {
    this.queue.push(chunk);
    if (this.active) return;
    this.active = true;
    this.draining = this.drain();
  }

  /** Every chunk written. */
  async done(): Promise<void> {
    while (this.active) await this.draining;
    this.stopSpinner();
    this.idle(false);
    await this.lines?.return?.(); // let go of stdin, or Node would wait on it
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const chunk = this.queue.shift()!;
      if ('section' in chunk) {
        if (this.sectionsSeen++ > 0) await this.pause();
        continue;
      }
      this.stopSpinner();
      this.out.write(chunk.text + '\n');
    }
    // Cleared in the same tick as the last look at the queue: the next push starts a new drain.
    this.active = false;
    this.idle(true);
  }

  private async pause(): Promise<void> {
    if (this.pacing.step && this.held) {
      this.stopSpinner();
      if (this.out.isTTY) this.out.write(chalk.dim('(Enter: next)'));
      await this.nextEnter();
      if (this.out.isTTY) this.out.write('\r\x1b[K');
    } else if (this.pacing.pace > 0) {
      await sleep(this.pacing.pace * 1000);
    }
  }

  /**
   * A terminal is read key by key without echo, so Enter leaves no blank
   * line under the prompt (Ctrl-C still interrupts); piped input line by line.
   */
  private async nextEnter(): Promise<void> {
    const tty = this.input as NodeJS.ReadStream;
    if (!tty.isTTY || !tty.setRawMode) {
      this.lines ??= createInterface({ input: this.input, terminal: false })[Symbol.asyncIterator]();
      await this.lines.next();
      return;
    }
    tty.setRawMode(true);
    tty.resume();
    try {
      await new Promise<void>((resolve) => {
        const onKey = (key: Buffer) => {
          const interrupt = key.includes(3); // Ctrl-C, which raw mode no longer turns into a signal
          if (!interrupt && !key.includes(13) && !key.includes(10)) return;
          tty.off('data', onKey);
          tty.setRawMode(false);
          resolve();
          if (interrupt) {
            this.held = false; // the rest comes at once while kit stops the run
            process.kill(process.pid, 'SIGINT');
          }
        };
        tty.on('data', onKey);
      });
    } finally {
      tty.setRawMode(false);
      tty.pause();
    }
  }

  /** Waiting for the run: spin on a terminal after a while. */
  private idle(waiting: boolean): void {
    if (!this.out.isTTY) return;
    clearTimeout(this.spinner);
    if (!waiting) return;
    this.quietSince = Date.now();
    this.spinner = setTimeout(() => this.spin(), SPIN_AFTER_MS);
    this.spinner.unref();
  }

  private spin(): void {
    this.spinning = true;
    const seconds = ((Date.now() - this.quietSince) / 1000).toFixed(1);
    this.out.write(`\r\x1b[K${chalk.dim(`${SPINNER[this.frame++ % SPINNER.length]} working (${seconds} s)`)}`);
    this.spinner = setTimeout(() => this.spin(), 100);
    this.spinner.unref();
  }

  private stopSpinner(): void {
    clearTimeout(this.spinner);
    if (this.spinning) this.out.write('\r\x1b[K');
    this.spinning = false;
  }
}
