import { Command } from '@oclif/core';
import chalk from '../core/trace/colors';
import { KitError } from '../core/errors';

/**
 * What every kit command shares: an expected failure (KitError) is one line
 * on stderr, `kit: what went wrong; how to fix it`, and its exit code,
 * never a stack trace. With --json it is an `error` object instead.
 */
export abstract class KitCommand extends Command {
  protected async catch(err: Error & { exitCode?: number }): Promise<unknown> {
    if (!(err instanceof KitError)) return super.catch(err);
    if (this.jsonEnabled()) {
      this.logJson({ error: { message: err.message, hint: err.hint ?? null, exitCode: err.exitCode } });
    } else {
      const hint = err.hint ? `; ${err.hint}` : '';
      process.stderr.write(chalk.red(`kit: ${err.message}${hint}`) + '\n');
    }
    process.exitCode = err.exitCode;
    return undefined;
  }
}
