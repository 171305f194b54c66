import { Errors } from '@oclif/core';
import { KitError } from '../../core';

/**
 * `docker stop a b c`: each container on its own; one that fails is one
 * line on stderr and the others are still done. If any failed, the command
 * fails as a whole (its first failure's exit code).
 */
export async function eachContainer(refs: string[], act: (ref: string) => Promise<void>): Promise<void> {
  if (refs.length === 1) return act(refs[0]); // one: its error is the command's, with its hint
  let failed: KitError | undefined;
  for (const ref of refs) {
    try {
      await act(ref);
    } catch (err) {
      if (!(err instanceof KitError)) throw err;
      process.stderr.write(`kit: ${ref}: ${err.message}\n`);
      failed ??= err;
    }
  }
  if (failed) throw new Errors.ExitError(failed.exitCode);
}
