import { KitError } from '../errors';
import { signalNumber } from '../linux';

/**
 * Ctrl-C and SIGTERM while kit changes the host: instead of dying halfway,
 * kit notes the signal, stops what runs (onInterrupt), lets the normal path
 * undo what was made, then reports the interruption with the exit code a
 * shell gives death by that signal (128 + N).
 */
export class Interrupts {
  private received?: NodeJS.Signals;
  /** What stopped it, when no signal did (kit's own crash). */
  private cause?: string;
  private stop?: () => void;
  private readonly handler = (signal: NodeJS.Signals) => {
    this.received ??= signal;
    this.stop?.();
  };

  /** `outcome`: what the user is told was done about it. */
  constructor(private readonly outcome: string) {
    process.on('SIGINT', this.handler);
    process.on('SIGTERM', this.handler);
    active.add(this);
  }

  /** Stop as if `signal` had come: kit cannot go on (its stdout was closed, it crashed). */
  interrupt(signal: NodeJS.Signals, cause?: string): void {
    this.cause ??= this.received ? undefined : cause;
    this.handler(signal);
  }

  onInterrupt(stop: () => void): void {
    this.stop = stop;
    if (this.received) stop();
  }

  throwIfInterrupted(): void {
    if (!this.received) return;
    throw new KitError(`${this.cause ?? `interrupted by ${this.received}`}: ${this.outcome}`, undefined, 128 + signalNumber(this.received));
  }

  dispose(): void {
    process.off('SIGINT', this.handler);
    process.off('SIGTERM', this.handler);
    active.delete(this);
  }
}

/** The runs in progress (their Interrupts not yet disposed). */
const active = new Set<Interrupts>();

/**
 * Stop every run in progress as Ctrl-C would: each kills its container and
 * undoes its host changes on its normal path, then fails with `signal`'s
 * exit code. Returns how many there were.
 */
export function interruptAll(signal: NodeJS.Signals, cause?: string): number {
  const runs = [...active];
  for (const run of runs) run.interrupt(signal, cause);
  return runs.length;
}
