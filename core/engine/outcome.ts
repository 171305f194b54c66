import { SyscallError } from '../errors';
import { shellCode } from './exit-status';
import { hintFor } from '../trace/hints';
import type { RunResult } from './run';

/** The error for a run whose command never started (a setup step or execve failed), if it did not. */
export function startFailure(result: RunResult): SyscallError | undefined {
  if (!result.failed) return undefined;
  return new SyscallError(result.failed, hintFor(result.failed), result.exitCode ?? 125);
}

/** The run's status as a shell reports it: the exit code, or 128 + the signal that ended it. */
export function shellStatus(result: RunResult): number {
  return shellCode(result);
}
