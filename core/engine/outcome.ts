import { SyscallError } from '../errors';
import { shellCode, type ExitStatus } from './exit-status';
import { hintFor } from '../trace/hints';
import type { RunResult } from './run';
import type { TraceEvent } from '../trace/event';

/** The error for a run whose command never started (a setup step or execve failed), if it did not. */
export function startFailure(result: RunResult): SyscallError | undefined {
  if (!result.failed) return undefined;
  return failureOf(result.failed, result.exitCode ?? 125);
}

/** The error for the container-side call that stopped a container before its command ran. */
export function failureOf(failed: TraceEvent, exitCode: number): SyscallError {
  return new SyscallError(failed, hintFor(failed), exitCode);
}

/** The run's status as a shell reports it: the exit code, or 128 + the signal that ended it. */
export function shellStatus(result: ExitStatus): number {
  return shellCode(result);
}
