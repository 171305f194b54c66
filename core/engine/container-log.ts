import type { KitPaths } from '../paths';
import type { ContainerSpec } from '../spec';
import { LogWriter, type Stream } from './log-file';
import { logFile } from './log-path';

/**
 * A container's log as whoever holds its output writes it (its shim, a
 * foreground `kit run`, or one run with --json or --record that captures
 * the output): opened at the first output, so a silent run makes no file;
 * nothing at all with --log-driver none. A log that cannot be written (the
 * disk is full, `kit rm -f` took its dir) stops logging: the output itself
 * goes on to whoever else gets it.
 */
export class ContainerLog {
  private log?: LogWriter;
  private open: (() => LogWriter) | undefined;

  constructor(paths: KitPaths, id: string, spec: Pick<ContainerSpec, 'logDriver' | 'logMaxBytes'>) {
    this.open = spec.logDriver === 'none' ? undefined : () => new LogWriter(logFile(paths, id), spec.logMaxBytes);
  }

  write(stream: Stream, text: string): void {
    if (!this.open || !text) return;
    try {
      this.log ??= this.open();
      this.log.write(stream, text);
    } catch {
      this.open = undefined;
    }
  }

  /** The output has ended: a last line without its newline is logged as it is. */
  close(): void {
    try {
      this.log?.close();
    } catch {
      // as write: the log is lost, the run is not
    }
    this.log = undefined;
  }
}
