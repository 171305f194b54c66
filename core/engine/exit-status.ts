import { signalName, signalNumber } from '../linux';

/** How a process ended, from its raw wait status (see wait(2): WIFEXITED, WTERMSIG). */
export interface ExitStatus {
  /** Set when it exited (WEXITSTATUS). */
  exitCode: number | null;
  /** Set when a signal killed it, by name. */
  signal: string | null;
}

export function decodeStatus(status: number): ExitStatus {
  const signal = status & 0x7f;
  if (signal === 0) return { exitCode: (status >> 8) & 0xff, signal: null };
  return { exitCode: null, signal: signalName(signal) };
}

/** The status as a shell reports it: the exit code, or 128 + the signal that ended it. */
export function shellCode(status: ExitStatus): number {
  return status.exitCode ?? 128 + signalNumber(status.signal ?? '');
}
