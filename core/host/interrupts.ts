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
  private stop?: () => void;
  private readonly handler = (signal: NodeJS.Signals) => {
    this.received = signal;
    this.stop?.();
  };

  /** `outcome`: what the user is told was done about it. */
  constructor(private readonly outcome: string) {
    process.on('SIGINT', this.handler);
    process.on('SIGTERM', this.handler);
  }

  onInterrupt(stop: () => void): void {
    this.stop = stop;
    if (this.received) stop();
  }

  throwIfInterrupted(): void {
    if (!this.received) return;
    throw new KitError(`interrupted by ${this.received}: ${this.outcome}`, undefined, 128 + signalNumber(this.received));
  }

  dispose(): void {
    process.off('SIGINT', this.handler);
    process.off('SIGTERM', this.handler);
  }
}
