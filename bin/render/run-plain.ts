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
  constructor(
    private readonly view: PlainView,
    private readonly out: PlainOutput,
  ) {}

  feed(record: RunRecord): void {
    switch (record.type) {
      case 'trace':
        if (this.view.trace) this.out.stderr(renderEvent(record.event, { width: this.view.width }) + '\n');
        return;
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
}
