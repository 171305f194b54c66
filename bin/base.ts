import { Command, Errors } from '@oclif/core';
import type { ArgOutput, FlagOutput, Input, ParserOutput } from '@oclif/core/lib/interfaces/parser';
import { chalk, KitError } from '../core';
import { guardExit, outputClosed } from './exit-guard';
import { kitMessage } from './render/kit-message';

/**
 * What every kit command shares: an expected failure (KitError) is one line
 * on stderr, `kit: what went wrong; how to fix it`, and its exit code,
 * never a stack trace. With --json it is an `error` object instead.
 * oclif's own parse errors (a missing argument, an unknown flag) become the
 * same one line instead of a paragraph followed by the whole help text.
 */
export abstract class KitCommand extends Command {
  /**
   * The exit code of kit's own failures (a bad flag, a missing image) where
   * another code could be confused with the container's: docker run, exec
   * and start exit 125 for them, so a script can tell them from its command's.
   */
  static kitErrorExitCode: number | undefined;

  /**
   * oclif reads a missing argument from stdin when stdin is a pipe: `echo hi |
   * kit run -i base cat` lost "hi" to it (and `kit run base cat` blocked on
   * it). No kit argument comes from stdin; the container's stdin is its own.
   */
  protected async parse<F extends FlagOutput, B extends FlagOutput, A extends ArgOutput>(options?: Input<F, B, A>, argv?: string[]): Promise<ParserOutput<F, B, A>> {
    for (const arg of Object.values(options?.args ?? {})) (arg as { ignoreStdin?: boolean }).ignoreStdin = true;
    return super.parse(options, argv);
  }

  async init(): Promise<void> {
    guardExit();
    await super.init();
  }

  protected async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    if (outputClosed()) return undefined; // nobody reads any more: exit 141 quietly (see exit-guard.ts)
    if (err instanceof Errors.CLIError && err.message.startsWith('Flag --')) return this.misused(err.message.replace(/^Flag/, 'flag'), 'flag');
    if (err instanceof KitError) return this.fail(err.message, err.hint, err.exitCode);
    // A flag's own parse refused its value (--width 10): oclif says "Parsing --width \n\tExpected ...", two lines and a tab.
    const parsing = err instanceof Errors.CLIError ? /^Parsing (--[\w-]+)\s*\n\s*(.+?)(\nSee more help with --help)?$/s.exec(err.message) : null;
    if (parsing) return this.misused(`flag ${parsing[1]}: ${parsing[2].replace(/\s+/g, ' ').replace(/^Expected/, 'expected')}`, 'flag');
    if (err instanceof Errors.CLIError && 'parse' in err) {
      const line = parseErrorLine(err as ParseError);
      return this.misused(line, /^(missing|unexpected argument) /.test(line) ? 'args' : 'flag');
    }
    return super.catch(err);
  }

  /**
   * A usage mistake. Docker's verbs exit as Docker's CLI does: 125 for a
   * flag it refuses (unknown, or a bad value), 1 for missing or extra
   * arguments ("requires at least 1 argument"); kit's own commands
   * (chapter, lab, replay...) exit 2, as most Unix tools do.
   */
  private misused(message: string, what: 'flag' | 'args'): undefined {
    const docker = !KIT_OWN_COMMANDS.has(this.id?.split(':')[0] ?? '');
    return this.report(message, this.helpHint(), docker ? (what === 'flag' ? 125 : 1) : 2);
  }

  private helpHint(): string {
    return `see \`kit ${this.id?.replace(/:/g, ' ')} --help\``;
  }

  private fail(message: string, hint: string | undefined, code: number): undefined {
    const own = (this.constructor as typeof KitCommand).kitErrorExitCode;
    return this.report(message, hint, own !== undefined && (code === 1 || code === 2) ? own : code);
  }

  private report(message: string, hint: string | undefined, exitCode: number): undefined {
    if (this.jsonEnabled()) {
      this.logJson({ error: { message, hint: hint ?? null, exitCode } });
    } else {
      const tail = hint ? `; ${hint}` : '';
      process.stderr.write(chalk.red(kitMessage(`${message}${tail}`)) + '\n');
    }
    process.exitCode = exitCode;
    return undefined;
  }
}

/** Commands of kit's own, not Docker's: their usage mistakes exit 2. */
const KIT_OWN_COMMANDS = new Set(['chapter', 'lab', 'replay', 'reset', 'runtime', 'shim', 'help']);

/** oclif's parser error classes are not exported: these are the fields they carry. */
type ParseError = Errors.CLIError & { args?: Array<string | { name: string }>; flags?: string[] };

/** The one thing oclif's parser objected to, without its notes and help. */
function parseErrorLine(err: ParseError): string {
  const lines = err.message.split('\n');
  const first = lines[0];
  // A flag validation failure (a required flag missing) names the flag on the line after this header.
  if (first.startsWith('The following error') && lines[1]) return flagProblem(lines[1].trim());
  if (first.startsWith('Missing') && err.args) {
    return `missing ${err.args.map((a) => (typeof a === 'string' ? a : a.name).toUpperCase()).join(' and ')}`;
  }
  if (first.startsWith('Nonexistent') && err.flags) return `unknown flag ${err.flags.join(', ')}`;
  if (first.startsWith('Unexpected') && err.args) return `unexpected argument ${err.args.join(' ')}`;
  return first;
}

/** "Missing required flag tag" -> "missing required flag --tag". */
function flagProblem(line: string): string {
  const missing = /^Missing required flag (\S+)/.exec(line);
  if (missing) return `missing required flag --${missing[1].replace(/^-+/, '')}`;
  return line.charAt(0).toLowerCase() + line.slice(1);
}
