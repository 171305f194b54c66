import { signalName } from '../linux';

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
