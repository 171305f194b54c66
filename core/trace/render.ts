import chalk from './colors';
import type { TraceEvent } from './event';
import { hintFor } from './hints';

export interface RenderOptions {
  /** Longer explanations, by syscall name (--explain). */
  explain?: Record<string, string>;
}

const SIDE = { host: '[host]', container: '[ctr ]' } as const;

/**
 * One event as strace would print it, tagged with the side that made it:
 *   [host] clone(CLONE_NEWPID|SIGCHLD) = 4242
 *          # the child becomes PID 1 of a new PID namespace
 */
export function renderEvent(event: TraceEvent, options: RenderOptions = {}): string {
  const side = event.side === 'host' ? chalk.cyan(SIDE.host) : chalk.magenta(SIDE.container);
  const lines = [event.command ? `${side} ${renderCommand(event)}` : `${side} ${chalk.bold(event.syscall)}(${event.args.join(', ')}) = ${renderResult(event)}`];
  const indent = ' '.repeat(SIDE.host.length + 1);
  if (event.why) lines.push(indent + chalk.dim(`# ${event.why}`));
  const hint = hintFor(event);
  if (hint) lines.push(indent + chalk.yellow(`hint: ${hint}`));
  const longer = options.explain?.[event.syscall];
  if (longer) lines.push(...wrap(longer, 88).map((l) => indent + chalk.dim(`  ${l}`)));
  return lines.join('\n');
}

/** A host program kit ran, as a shell line with its exit code: `$ ip link add kit0 type bridge  # exit 0`. */
function renderCommand(event: TraceEvent): string {
  const status = event.errno ? chalk.red(`exit ${event.ret}: ${event.errnoMessage}`) : chalk.green(`exit ${event.ret}`);
  return `$ ${chalk.bold(event.syscall)} ${event.args.map(shellWord).join(' ')}  ${chalk.dim('->')} ${status}`;
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

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
