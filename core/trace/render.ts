import chalk from './colors';
import type { TraceEvent } from './event';
import { hintFor } from './hints';
import { elideMiddle, wrapWords } from './width';

export interface RenderOptions {
  /** Longer explanations, by syscall name (--explain). */
  explain?: Record<string, string>;
  /**
   * The kinds of call already explained: each is explained once, under its
   * first call (the set is filled as events are rendered).
   */
  explained?: Set<string>;
  /** Columns to fit (Infinity: no limit): the call line is elided in the middle, prose wrapped. */
  width?: number;
  /** For a projector: no dim text. */
  big?: boolean;
}

const SIDE = { host: '[host]', container: '[ctr ]' } as const;

/**
 * One event as strace would print it, tagged with the side that made it:
 *   [host] clone(CLONE_NEWPID|SIGCHLD) = 4242
 *          # the child becomes PID 1 of a new PID namespace
 */
export function renderEvent(event: TraceEvent, options: RenderOptions = {}): string {
  const width = options.width ?? Infinity;
  const dim = options.big ? (text: string) => text : chalk.dim;
  const side = event.side === 'host' ? chalk.cyan(SIDE.host) : chalk.magenta(SIDE.container);
  const call = event.command ? `${side} ${renderCommand(event, dim)}` : `${side} ${chalk.bold(event.syscall)}(${event.args.join(', ')}) = ${renderResult(event)}`;
  const lines = [elideMiddle(call, width)];
  const indent = ' '.repeat(SIDE.host.length + 1);
  // What the command read on stdin, as a here-document after it: pasted, the lines run the same
  if (event.input !== undefined) lines.push(...event.input.trimEnd().split('\n').map((l) => elideMiddle(indent + dim('| ') + l, width)));
  // Wrapped lines hang under the text, past its "# " or "hint: ".
  const prose = (lead: string, text: string, style: (t: string) => string) =>
    wrapWords(text, width - indent.length - lead.length).map((l, i) => indent + style((i === 0 ? lead : ' '.repeat(lead.length)) + l));
  if (event.why) lines.push(whyLines(event.why, width, options.big ?? false, () => prose('# ', event.why!, dim).join('\n')));
  const hint = hintFor(event);
  if (hint) lines.push(...prose('hint: ', hint, chalk.yellow));
  const longer = explanationFor(event, options);
  if (longer) lines.push(...wrapWords(longer, Math.min(88, width - indent.length - 2)).map((l) => indent + dim(`  ${l}`)));
  return lines.join('\n');
}

/**
 * A run's whys repeat (one per plan step, its every call; the same host
 * steps each run): each is wrapped and styled once per width, and kept. The
 * cache is emptied when it grows past a run's worth, so it stays small.
 */
const WHY_CACHE_SIZE = 512;
/** By width, style (colour level, big) and why: the why itself is a key as it is, its hash computed once per string. */
const whyCache = new Map<string, Map<string, string>>();
function whyLines(why: string, width: number, big: boolean, render: () => string): string {
  const style = `${width} ${big ? 1 : 0} ${chalk.level}`;
  let byWhy = whyCache.get(style);
  if (byWhy === undefined) whyCache.set(style, (byWhy = new Map()));
  let lines = byWhy.get(why);
  if (lines === undefined) {
    if (byWhy.size >= WHY_CACHE_SIZE) byWhy.clear();
    lines = render();
    byWhy.set(why, lines);
  }
  return lines;
}

/** The longer text for this kind of call, the first time it is rendered. */
function explanationFor(event: TraceEvent, options: RenderOptions): string | undefined {
  const longer = options.explain?.[event.syscall];
  if (!longer || options.explained?.has(event.syscall)) return undefined;
  options.explained?.add(event.syscall);
  return longer;
}

/** A host program kit ran, as a shell line with its exit code: `$ ip link add kit0 type bridge  # exit 0`. */
function renderCommand(event: TraceEvent, dim: (text: string) => string): string {
  const status = event.errno ? chalk.red(`exit ${event.ret}: ${event.errnoMessage}`) : event.answer ? chalk.green(`exit ${event.ret}: ${event.answer}`) : chalk.green(`exit ${event.ret}`);
  return `$ ${chalk.bold(event.syscall)} ${event.args.map(shellWord).join(' ')}  ${dim('->')} ${status}`;
}

/** An argument as a shell needs it, so the line can be pasted: quoted only when it has to be. */
function shellWord(arg: string): string {
  return /^[\w@%+=:,./!-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function renderResult(event: TraceEvent): string {
  if (event.errno) return chalk.red(`-1 ${event.errno} (${event.errnoMessage})`);
  return chalk.green(String(event.ret));
}

export function renderTrace(events: TraceEvent[], options: RenderOptions = {}): string {
  return events.map((e) => renderEvent(e, options)).join('\n');
}
