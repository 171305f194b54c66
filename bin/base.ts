import { Command, Errors } from '@oclif/core';
import { chalk, KitError } from '../core';

/**
 * What every kit command shares: an expected failure (KitError) is one line
 * on stderr, `kit: what went wrong; how to fix it`, and its exit code,
 * never a stack trace. With --json it is an `error` object instead.
 * oclif's own parse errors (a missing argument, an unknown flag) become the
 * same one line instead of a paragraph followed by the whole help text.
 */
export abstract class KitCommand extends Command {
  protected async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    if (err instanceof Errors.CLIError && err.message.startsWith('Flag --')) return this.fail(err.message.replace(/^Flag/, 'flag'), this.helpHint(), 2);
    if (err instanceof KitError) return this.fail(err.message, err.hint, err.exitCode);
    if (err instanceof Errors.CLIError && 'parse' in err) return this.fail(parseErrorLine(err as ParseError), this.helpHint(), 2);
    return super.catch(err);
  }

  private helpHint(): string {
    return `see \`kit ${this.id?.replace(/:/g, ' ')} --help\``;
  }

  private fail(message: string, hint: string | undefined, exitCode: number): undefined {
    if (this.jsonEnabled()) {
      this.logJson({ error: { message, hint: hint ?? null, exitCode } });
    } else {
      const tail = hint ? `; ${hint}` : '';
      process.stderr.write(chalk.red(`kit: ${message}${tail}`) + '\n');
    }
    process.exitCode = exitCode;
    return undefined;
  }
}

/** oclif's parser error classes are not exported: these are the fields they carry. */
type ParseError = Errors.CLIError & { args?: Array<string | { name: string }>; flags?: string[] };

/** The one thing oclif's parser objected to, without its notes and help. */
function parseErrorLine(err: ParseError): string {
  const first = err.message.split('\n')[0];
  if (first.startsWith('Missing') && err.args) {
    return `missing ${err.args.map((a) => (typeof a === 'string' ? a : a.name).toUpperCase()).join(' and ')}`;
  }
  if (first.startsWith('Nonexistent') && err.flags) return `unknown flag ${err.flags.join(', ')}`;
  if (first.startsWith('Unexpected') && err.args) return `unexpected argument ${err.args.join(' ')}`;
  return first;
}
