import type { TraceEvent } from '../core';

/**
 * Reading a student's run from its trace, the way a checker explains a
 * failure: which call was made, which failed and with what, which is missing.
 */

/** The calls named `syscall`, optionally only those whose args match. */
export function calls(trace: TraceEvent[], syscall: string, argsMatch?: RegExp): TraceEvent[] {
  return trace.filter((e) => e.syscall === syscall && (!argsMatch || argsMatch.test(e.args.join(', '))));
}

/** The first call that failed, if any (the one that stopped the run). */
export function firstFailure(trace: TraceEvent[]): TraceEvent | undefined {
  return trace.find((e) => e.errno !== null && e.syscall !== 'wait4');
}

/** The flags the container was cloned with, as the trace prints them (CLONE_NEWNS|...). */
export function cloneFlags(trace: TraceEvent[]): string[] {
  const clone = calls(trace, 'clone')[0];
  return clone ? clone.args[0].split('|') : [];
}

/** `mount("proc", "/proc", ...) = -1 EBUSY`: a call as one line, the way strace prints it. */
export function show(e: TraceEvent): string {
  const result = e.errno ? `-1 ${e.errno}${e.errnoMessage ? ` (${e.errnoMessage})` : ''}` : String(e.ret);
  return `${e.syscall}(${e.args.join(', ')}) = ${result}`;
}

/** A failed call matching, as "mount(...) returned EINVAL", or undefined. */
export function failedCall(trace: TraceEvent[], syscall: string, argsMatch?: RegExp): TraceEvent | undefined {
  return calls(trace, syscall, argsMatch).find((e) => e.errno !== null);
}

/** "the clone had CLONE_NEWUTS|SIGCHLD" or "there was no clone" (the run failed before it). */
export function describeClone(trace: TraceEvent[]): string {
  const flags = cloneFlags(trace);
  return flags.length ? `clone() was called with ${flags.join('|')}` : 'the container was never cloned';
}
