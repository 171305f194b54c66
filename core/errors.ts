import type { TraceEvent } from './trace/event';

/**
 * An error the user can act on: printed as one line (plus an optional fix),
 * never with a stack trace. Anything else escaping kit is a bug.
 */
export class KitError extends Error {
  constructor(message: string, readonly hint?: string, readonly exitCode = 1) {
    super(message);
    this.name = 'KitError';
  }
}

/** The name or id a user gave matches no container (Docker's "No such container"). */
export class NoSuchContainerError extends KitError {
  constructor(ref: string) {
    super(`no such container: ${ref}`, '`kit ps -a` lists the containers');
    this.name = 'NoSuchContainerError';
  }
}

/** A syscall failed: carries its trace event so the trace can show it. */
export class SyscallError extends KitError {
  constructor(readonly event: TraceEvent, hint?: string, exitCode = 125) {
    super(`${event.syscall}(${event.args.join(', ')}) failed: ${event.errno} (${event.errnoMessage})`, hint, exitCode);
    this.name = 'SyscallError';
  }
}
