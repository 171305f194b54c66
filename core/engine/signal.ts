import { constants } from 'node:os';
import { KitError } from '../errors';
import type { TraceRecorder } from '../trace/recorder';
import type { ContainerState } from './state';

/** A signal as docker kill -s takes it: KILL, SIGKILL, 9, sigterm. */
export function parseSignal(text: string): number {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n >= 1 && n <= 64) return n;
  } else {
    const name = text.toUpperCase().replace(/^SIG/, '');
    const n = (constants.signals as Record<string, number>)[`SIG${name}`];
    if (n !== undefined) return n;
  }
  throw new KitError(`bad signal '${text}'`, 'give a name (KILL, TERM, HUP, USR1...) or a number from 1 to 64');
}

/**
 * `kit kill -s SIG`: one kill(2) to the container's first process, from the
 * host. Inside its PID namespace it is PID 1, which the kernel protects from
 * signals it has no handler for, except those sent from an ancestor
 * namespace: SIGKILL and SIGSTOP from the host always act.
 */
export function signalContainer(trace: TraceRecorder, state: Pick<ContainerState, 'name' | 'pid'>, signal: number): void {
  if (state.pid === undefined) throw new KitError(`container ${state.name} has no process yet`, 'it is still being set up: try again');
  trace.check(`deliver signal ${signal} to the container's PID 1 (host pid ${state.pid})`, (n) => n.kill(state.pid!, signal));
}
