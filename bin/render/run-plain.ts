import { renderEvent } from '../../core';
import type { RunRecord, TraceEvent } from '../../core';

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
 * How long trace lines are held before they are written: the lines of a
 * run's setup come in a few writes, not one per burst of events. Each write
 * wakes whoever reads kit's stderr (a terminal, a pager, a pipe), and on a
 * busy machine the woken reader takes the CPU from kit; with a write per
 * burst (10-90 in a `kit run` of 150 ms) --trace cost 1-10 ms in writes
 * alone. 20 ms, about a frame of the screen, is still "as it happens" to a
 * reader.
 */
export const TRACE_WRITE_MS = 20;

/** Printers holding trace lines: written out if kit exits before their time (an exit after a crash). */
const holding = new Set<PlainRunPrinter>();
let exitHooked = false;

/**
 * What `kit run` prints, from a run's records: the container's output as it
 * came, on the stream it came on; with --trace each call on stderr; kit's
 * notes and a failed setup call on stderr. The live run and `kit replay` of
 * its recording both print through it, so a replay gives the same bytes.
 */
export class PlainRunPrinter {
  /**
   * Trace events not printed yet. They come in bursts (the host calls of a
   * plan step; one read of kit-init's socket holds dozens) and are rendered
   * and written together, as one write(2), TRACE_WRITE_MS after the first of
   * them. The timer fires when the engine waits for kit-init or for the
   * container, so rendering overlaps their work instead of delaying it
   * (--trace cost 7% of an engine run when each event was rendered as it
   * came). Anything else printed writes them first, and the end of the run
   * too, so the order stays the run's.
   */
  private pending: TraceEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  /** Lines rendered, waiting for the timer's write. */
  private rendered = '';

  constructor(
    private readonly view: PlainView,
    private readonly out: PlainOutput,
  ) {}

  feed(record: RunRecord): void {
    if (record.type === 'trace') {
      if (this.view.trace) this.queue(record.event);
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
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      holding.delete(this);
    }
    this.render();
    if (this.rendered === '') return;
    const text = this.rendered;
    this.rendered = '';
    this.out.stderr(text);
  }

  /**
   * Render what is pending into the text to write: at the turn of the event
   * loop after a burst (while the engine waits for kit-init), not at the
   * write, so an engine run shorter than TRACE_WRITE_MS does not render its
   * whole trace at the end (+9% wall in the engine bench when it did).
   */
  private render(): void {
    if (this.immediate !== undefined) {
      clearImmediate(this.immediate);
      this.immediate = undefined;
    }
    for (const event of this.pending) this.rendered += renderEvent(event, { width: this.view.width }) + '\n';
    this.pending = [];
  }

  private queue(event: TraceEvent): void {
    this.pending.push(event);
    this.immediate ??= setImmediate(() => this.render()).unref();
    if (this.timer !== undefined) return;
    // Unref'd: held lines never keep kit running; an exit writes them.
    this.timer = setTimeout(() => this.flush(), TRACE_WRITE_MS).unref();
    holding.add(this);
    if (!exitHooked) {
      exitHooked = true;
      process.on('exit', () => {
        for (const printer of holding) printer.flush();
      });
    }
  }
}
