import { chalk, commandCalls, cutEnd, diffLines, elideMiddle, renderEvent, unchanged, visibleWidth, wrapHanging, wrapWhole, wrapWords } from '../../core';
import type { CheckedClaim, ProbePhase, ProbeResult, RecordingHeader, RunRecord, TraceEvent } from '../../core';

/** How to show a run: the same for a live run and for its replay. */
export interface StreamView {
  trace: boolean;
  explain: boolean;
  /** Columns to fit; Infinity when the output is piped and no width was asked for. */
  width: number;
  /** For a projector: blank lines between steps, banner headings, no dim text. */
  big: boolean;
}

/** What the renderer hands on: text, and where a new section starts (where --pace and --step pause). */
export type Chunk = { section: true } | { text: string };

const PHASE_LABEL: Record<ProbePhase, string> = {
  before: 'Host before',
  created: 'Host, the container created',
  during: 'Host during',
  running: 'Host while it runs',
  compare: 'Host, the comparison run',
  after: 'Host after',
};

/** A paragraph of prose, and the column its wrapped lines start at (a list item's text). */
interface Paragraph {
  text: string;
  hang: number;
  item: boolean;
}

/**
 * Hard-wrapped text as paragraphs: an unindented line joins the one before
 * it unless that is blank; an indented line starts a paragraph of its own (a
 * command, a list item) unless it sits at a list item's text, where it goes on
 * with that item ("  1. the bridge..." then "     host with...").
 */
function paragraphs(lines: string[]): Paragraph[] {
  const out: Paragraph[] = [];
  let open: Paragraph | undefined; // the paragraph the next line may continue
  for (const line of lines) {
    const indent = /^ */.exec(line)?.[0].length ?? 0;
    const item = /^( *)((\d+\.|-|\*) +)/.exec(line);
    const continues = indent === 0 ? open?.hang === 0 : open !== undefined && open.item && indent === open.hang;
    if (open && line.trim() !== '' && !item && continues) {
      open.text += ` ${line.trim()}`;
      continue;
    }
    const paragraph = { text: line, hang: item ? item[0].length : indent, item: Boolean(item) };
    out.push(paragraph);
    open = line.trim() === '' ? undefined : paragraph;
  }
  return out;
}

/** A paragraph wrapped at words; its lines after the first start at its hang (a list item's text). */
function wrapParagraph({ text, hang }: Paragraph, width: number): string[] {
  const indent = /^ */.exec(text)?.[0].length ?? 0;
  if (hang <= indent || hang >= width / 2) return wrapWords(text, width);
  const [first, ...rest] = wrapWords(' '.repeat(hang) + text.slice(hang), width);
  return [text.slice(0, hang) + first.slice(hang), ...rest];
}

/**
 * Why a chapter's points may not show, from the command line it ran with:
 * the learner's own command after `--`, a flag that changes how it runs
 * (`--storage-driver vfs` has no upper dir), or else this host.
 */
function missedBecause(command: string[]): string {
  const dashes = command.indexOf('--');
  if (dashes >= 0) return 'your own command, or this host';
  const flags = command.flatMap((arg, i) => (/^--(storage|cgroup)-driver(=|$)/.test(arg) ? [arg.includes('=') ? arg : `${arg} ${command[i + 1] ?? ''}`.trim()] : []));
  if (flags.length) return `${flags.join(', ')}, or this host`;
  return 'this host';
}

/** A shell command's words (a quoted string is one word), greedily in lines of at most `width` characters. */
function shellLines(command: string, width: number): string[] {
  const words = command.match(/(?:[^\s'"]+|'[^']*'|"(?:[^"\\]|\\.)*")+/g) ?? [];
  const lines: string[] = [];
  for (const word of words) {
    const last = lines.length - 1;
    if (last >= 0 && `${lines[last]} ${word}`.length <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

/**
 * How many lines a probe's listing has: a "... (N more lines)" that stands
 * for lines left out (core/probes/command.ts firstLines) counts as those N.
 */
export function listedLines(lines: string[]): number {
  return lines.reduce((n, line) => n + (line.trim() === '' ? 0 : Number(/^\.\.\. \((\d+) more lines?\)$/.exec(line)?.[1] ?? 1)), 0);
}

/** A short unchanged view is shown again (a hostname); a long one is only said to be the same. */
const SHOW_UNCHANGED_UP_TO = 4;

/**
 * Turns a run's records (core/record/records.ts), in the order they
 * happened, into the text a learner reads, section by section as they come:
 * the story, the host before, the trace as each call returns, the output as
 * it streams, the host during and after, what to notice. It knows no
 * chapter: a chapter is the header's text plus the records of its run.
 * Deterministic: the same records at the same width give the same bytes,
 * which is what makes `kit replay` reproduce a run.
 */
export class RunRenderer {
  private current?: 'trace' | 'output' | 'probes' | 'progress' | 'other';
  private traceShown = false;
  private outputShown = false;
  private readonly partial = { stdout: '', stderr: '' };
  private readonly explained = new Set<string>();
  private readonly before = new Map<string, ProbeResult>();

  constructor(
    private readonly header: RecordingHeader,
    private readonly view: StreamView,
    private readonly emit: (chunk: Chunk) => void,
  ) {}

  /** The title and the story, before anything runs. */
  start(): void {
    const chapter = this.header.chapter;
    if (!chapter) return;
    this.text(chalk.bold.cyan(this.fitHeading(`Chapter ${chapter.id}: ${chapter.title}`)), '');
    this.prose(chapter.story);
    this.text('');
    if (chapter.unconfined) this.text(...wrapWords(`This chapter ${chapter.unconfined}.`, this.view.width).map((l) => chalk.yellow(l)), '');
  }

  feed(record: RunRecord): void {
    switch (record.type) {
      case 'probes':
        return this.probes(record.label ?? PHASE_LABEL[record.phase], record.phase, record.results);
      case 'trace':
        return this.trace(record.event);
      case 'output':
        return this.output(record.stream, record.text);
      case 'exit':
        return this.exit(record);
      case 'notes':
        return this.notes(record.notes);
      case 'strace':
        return this.strace(record.lines);
      case 'progress':
        return this.progress(record.line);
      case 'end':
        return this.end(record.failed, record.claims ?? []);
      case 'tree':
        return; // drawn by the HTML page only
    }
  }

  private trace(event: TraceEvent): void {
    if (!this.view.trace) return;
    if (this.current !== 'trace') {
      this.open('trace', this.traceShown ? 'What kit did, continued' : 'What kit did (one line per syscall)');
      this.traceShown = true;
    }
    const explain = this.view.explain ? this.header.chapter?.explain : undefined;
    this.text(renderEvent(event, { explain, explained: this.explained, width: this.view.width, big: this.view.big }));
    if (this.view.big) this.text('');
  }

  private output(stream: 'stdout' | 'stderr', text: string): void {
    this.openOutput();
    const lines = (this.partial[stream] + text).split('\n');
    this.partial[stream] = lines.pop() ?? '';
    for (const line of lines) this.outputLine(stream, line);
  }

  private openOutput(): void {
    if (this.current === 'output') return;
    this.open('output', this.outputShown ? 'Inside the container, continued' : 'Inside the container');
    this.outputShown = true;
  }

  /** What the command printed is shown whole, as a terminal would: a long line wraps, going on 2 columns in from its text. */
  private outputLine(stream: 'stdout' | 'stderr', line: string): void {
    const fitted = wrapWhole(`  ${line}`, this.view.width, 2);
    this.text(...fitted.map((l) => (stream === 'stderr' ? chalk.yellow(l) : l)));
  }

  private exit(record: Extract<RunRecord, { type: 'exit' }>): void {
    const hadOutput = this.outputShown;
    this.openOutput();
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) this.outputLine(stream, this.partial[stream]);
      this.partial[stream] = '';
    }
    if (!hadOutput) this.text('  (no output)');
    const line = record.stoppedByKit
      ? '(stopped by kit with SIGKILL once the probes above were taken)'
      : record.signal
        ? `(killed by ${record.signal})`
        : `(exit code ${record.exitCode})`;
    this.text(...wrapWords(`  ${line}`, this.view.width).map((l) => this.dim(l)));
  }

  /** kit's own step the run waits on ("kit: [2/4] copying host programs..."), between sections, not one of its own (no pause). */
  private progress(line: string): void {
    if (this.current === 'trace' || this.current === 'output') this.text('');
    this.current = 'progress';
    this.text(...wrapHanging(`kit: ${line}`, this.view.width, 5).map((l) => this.dim(l)));
  }

  private notes(notes: string[]): void {
    this.openOutput();
    for (const note of notes) this.text(...wrapWords(`  kit: ${note}`, this.view.width).map((l) => chalk.yellow(l)));
  }

  private probes(label: string, phase: ProbePhase, results: ProbeResult[]): void {
    for (const result of results) {
      this.open('probes');
      const earlier = phase === 'before' ? undefined : this.before.get(result.probe);
      if (phase === 'before') this.before.set(result.probe, result);
      const heading = `${label}: ${result.title}`;
      if (!earlier) {
        this.heading(heading);
        this.view_(result.text.split('\n').map((text) => ({ mark: ' ' as const, text })), false, result.wrap);
      } else {
        const diff = diffLines(earlier.text, result.text);
        const same = unchanged(diff);
        // The title may hold a count the lines shown do not (ps: how many processes): then only the lines are the same.
        const sameTitle = earlier.title === result.title;
        this.heading(same && sameTitle ? `${heading}: no change` : heading);
        const count = listedLines(diff.map((d) => d.text));
        if (same && !sameTitle) this.text(...wrapWords(`  (these ${count} lines: no change since before the run)`, this.view.width).map((l) => this.dim(l)));
        if (same && diff.length > SHOW_UNCHANGED_UP_TO) {
          if (sameTitle) this.text(...wrapWords(`  (the same ${count} lines as before the run)`, this.view.width).map((l) => this.dim(l)));
        } else {
          this.view_(diff, !same, result.wrap);
        }
      }
      this.text('');
    }
  }

  /**
   * A probe's lines, cut to the width (tables lose columns, never rows), or
   * wrapped when the probe's lines are data to read whole (`wrap`: rules,
   * mount options, reasons), going on under their text; with +/- when it
   * differs from before.
   */
  private view_(lines: Array<{ mark: ' ' | '+' | '-'; text: string }>, marked: boolean, wrap?: boolean): void {
    for (const { mark, text } of lines) {
      const prefix = marked ? `${mark} ` : '';
      const line = `  ${prefix}${text}`;
      // Wrapped lines go on 2 columns in from the text, past any + or - mark.
      const hang = 2 + prefix.length + (/^ */.exec(text)?.[0].length ?? 0) + 2 - (/^ */.exec(line)?.[0].length ?? 0);
      const fitted = wrap ? wrapWhole(line, this.view.width, hang) : [cutEnd(line, this.view.width)];
      this.text(...fitted.map((l) => (mark === '+' ? chalk.green(l) : mark === '-' ? chalk.red(l) : l)));
    }
  }

  private strace(lines: string[]): void {
    const { kitInitCalls, lines: own } = commandCalls(lines);
    this.open('other', 'strace of the process inside (a second view)');
    this.text(...wrapWords(`  (${kitInitCalls} calls by kit-init before it exec'd the command, not shown: they are kit's own trace)`, this.view.width).map((l) => this.dim(l)));
    for (const line of own) this.text(elideMiddle(`  ${line}`, this.view.width));
    if (!own.length) this.text('  (the command never started)');
    this.text('');
  }

  private end(failed: TraceEvent | undefined, claims: CheckedClaim[]): void {
    if (this.current === 'trace' || this.current === 'output' || this.current === 'progress') this.text('');
    this.current = 'other';
    if (failed) {
      this.emit({ section: true });
      this.text(...wrapWords(`The container stopped before its command ran: ${failed.syscall} failed with ${failed.errno}.`, this.view.width).map((l) => chalk.red(l)), '');
    }
    const chapter = this.header.chapter;
    if (!chapter) return;
    this.open('other', 'What to notice');
    const missed = claims.some((c) => !c.held);
    // The takeaway tells what the chapter's own command printed: after `-- CMD` it would not be this run's.
    const ownCommand = this.header.command.includes('--');
    if (missed) this.prose(`Not everything this chapter points out happened in this run (${missedBecause(this.header.command)}). What the run showed:`);
    else if (ownCommand) this.prose(`Your own command ran instead of the chapter's, so its summary is left out. What the run showed:`);
    else this.prose(chapter.takeaway);
    if (claims.length && !missed && !ownCommand) this.text('', 'Checked against this run:');
    for (const claim of claims) {
      const mark = claim.held ? chalk.green('✓') : chalk.yellow('✗ not in this run:');
      this.text(...wrapWords(`  ${claim.held ? '✓' : '✗ not in this run:'} ${claim.says}`, this.view.width - 2).map((l, i) => (i === 0 ? l.replace(/^ {2}(✓|✗ not in this run:)/, `  ${mark}`) : `    ${l.trimStart()}`)));
    }
    this.text('');
    this.open('other', 'Try this');
    for (const line of chapter.tryNext) this.tryLine(line);
  }

  /** A command to copy: kit as this machine starts it; a comment that does not fit goes on its own line. */
  private tryLine(line: string): void {
    const invocation = this.header.invocation;
    // `sudo kit` wherever a command starts (after && too), and a plain `kit` (no root needed), as this machine starts kit.
    const text = line.replace(/(^|&& |; )sudo kit /g, `$1${invocation} `).replace(/^kit /, `${invocation.replace(/^sudo /, '')} `);
    const width = this.view.width;
    if (`  ${text}`.length <= width) return this.text(`  ${text}`);
    const at = text.search(/\s+# /);
    const command = at < 0 ? text : text.slice(0, at).trimEnd();
    // Broken between shell words only, never inside quotes, each line but the last ending in a backslash: it still pastes.
    const lines = shellLines(command, width - 6);
    if (lines.every((l) => l.length <= width - 6)) this.text(...lines.map((l, i) => `${i ? '    ' : '  '}${l}${i < lines.length - 1 ? ' \\' : ''}`));
    else this.text(...wrapWords(`  ${command}`, width - 2).map((l, i, all) => (i < all.length - 1 ? `${l} \\` : l))); // a quoted word wider than the screen
    if (at >= 0) this.text(...wrapWords(`      ${text.slice(at).trim()}`, width).map((l) => this.dim(l)));
  }

  /** A new section: where --pace and --step pause. */
  private open(kind: 'trace' | 'output' | 'probes' | 'other', heading?: string): void {
    if (this.current === 'trace' || this.current === 'output' || this.current === 'progress') this.text('');
    this.current = kind;
    this.emit({ section: true });
    if (heading) this.heading(heading);
  }

  private heading(text: string): void {
    if (this.view.big) {
      const lines = wrapWords(text.toUpperCase(), this.view.width);
      this.text('', ...lines.map((l) => chalk.bold(l)), '='.repeat(Math.min(this.view.width, Math.max(...lines.map((l) => l.length)))));
      return;
    }
    this.text(...wrapWords(text, this.view.width).map((l) => chalk.bold.underline(l)));
  }

  private fitHeading(text: string): string {
    return wrapWords(text, this.view.width).join('\n');
  }

  /** Chapter text as written, or reflowed into the width when a line of it does not fit. */
  private prose(text: string): void {
    const lines = text.split('\n');
    if (lines.every((l) => visibleWidth(l) <= this.view.width)) return this.text(...lines);
    for (const paragraph of paragraphs(lines)) this.text(...wrapParagraph(paragraph, this.view.width));
  }

  private dim(text: string): string {
    return this.view.big ? text : chalk.dim(text);
  }

  private text(...lines: string[]): void {
    for (const line of lines) this.emit({ text: line });
  }
}
