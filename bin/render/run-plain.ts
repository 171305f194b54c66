import { renderEvent } from '../../core';
import type { RunRecord } from '../../core';

/** How `kit run` showed a run: the trace too (--trace), at this width. */
export interface PlainView {
  trace: boolean;
  /** Columns the trace lines fit (Infinity: not cut). */
  width: number;
}

export interface PlainOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** kit's own stdout and stderr. */
export const processOutput: PlainOutput = { stdout: (text) => void process.stdout.write(text), stderr: (text) => void process.stderr.write(text) };

/**
 * What `kit run` prints, from a run's records: the container's output as it
 * came, on the stream it came on; with --trace each call on stderr; kit's
 * notes and a failed setup call on stderr. The live run and `kit replay` of
 * its recording both print through it, so a replay gives the same bytes.
 */
export class PlainRunPrinter {
  /**
   * Trace lines rendered but not written yet. kit-init's events come in
   * bursts (one read of its socket holds dozens): they go out as one write
   * at the end of the burst (a microtask) instead of one write(2) each, and
   * anything else printed writes them first, so the order stays the run's.
   */
  private pending = '';

  constructor(
    private readonly view: PlainView,
    private readonly out: PlainOutput,
  ) {}

  feed(record: RunRecord): void {
    if (record.type === 'trace') {
      if (this.view.trace) this.queue(renderEvent(record.event, { width: this.view.width }) + '\n');
      return;
    }
    this.flush();
    switch (record.type) {
      case 'output':
        return this.out[record.stream](record.text);
      case 'notes':
        for (const note of record.notes) this.out.stderr(`kit: ${note}\n`);
        return;
      case 'end':
        // Without the trace, the call that stopped the container is the one line that says why.
        if (record.failed && !this.view.trace) this.out.stderr(renderEvent(record.failed) + '\n');
        return;
      default:
        return; // the exit status is kit's exit code, not a line
    }
  }

  /** Write the trace lines held so far. */
  flush(): void {
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    this.out.stderr(text);
  }

  private queue(line: string): void {
    if (!this.pending) queueMicrotask(() => this.flush());
    this.pending += line;
  }
}
