import { writeFileSync } from 'node:fs';
import { KitError, RecordingWriter } from '../core';
import type { RecordingHeader, RunRecord, TimedRecord } from '../core';
import { htmlPage } from './render/html/page';
import { LiveOutput, type Pacing } from './render/live';
import { RunRenderer, type StreamView } from './render/run-stream';

export interface SessionOptions {
  /** Render to the terminal as it happens (not with --json). */
  view?: StreamView;
  pacing?: Pacing;
  /** --record: the JSON-lines file. */
  record?: string;
  /** --html: the page written when the run is over. */
  html?: string;
}

/**
 * One run as the user watches it: every record goes, as it happens, to the
 * terminal (through the same renderer `kit replay` uses), to the recording
 * file, and into memory for the HTML page written at the end.
 */
export class RunSession {
  readonly records: TimedRecord[] = [];
  private readonly start = Date.now();
  private readonly writer?: RecordingWriter;
  private readonly live?: LiveOutput;
  private readonly renderer?: RunRenderer;

  constructor(
    readonly header: RecordingHeader,
    private readonly options: SessionOptions,
  ) {
    this.writer = options.record ? new RecordingWriter(options.record, header) : undefined;
    if (options.view) {
      const live = new LiveOutput(process.stdout, options.pacing);
      this.live = live;
      this.renderer = new RunRenderer(header, options.view, (chunk) => live.push(chunk));
    }
  }

  readonly add = (record: RunRecord): void => {
    const timed = { t: Date.now() - this.start, ...record } as TimedRecord;
    // The story once something happens: a chapter that cannot run here prints only why.
    if (!this.records.length) this.renderer?.start();
    this.records.push(timed);
    this.writer?.add(timed);
    this.renderer?.feed(record);
  };

  /** The run is over (or failed): close the recording, let the terminal catch up, write the page. */
  async finish(): Promise<void> {
    this.writer?.close();
    await this.live?.done();
    if (this.options.html) writeHtml(this.options.html, this.header, this.records);
  }
}

export function writeHtml(path: string, header: RecordingHeader, records: TimedRecord[]): void {
  try {
    writeFileSync(path, htmlPage(header, records));
  } catch (err) {
    throw new KitError(`cannot write the page ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'give --html a path in a writable directory');
  }
}
