import { KitError } from '../errors';
import type { RestartPolicy } from '../spec';
import type { ContainerRecord } from './record';

/** --restart no|on-failure[:N]|always|unless-stopped, checked before anything is made. */
export function parseRestartPolicy(text: string): RestartPolicy {
  const m = /^(no|on-failure|always|unless-stopped)(?::(\d+))?$/.exec(text.trim());
  if (!m || (m[2] !== undefined && m[1] !== 'on-failure')) {
    throw new KitError(`bad --restart value '${text}'`, 'use no, on-failure[:MAX-RETRIES], always or unless-stopped');
  }
  return m[2] === undefined ? { name: m[1] as RestartPolicy['name'] } : { name: 'on-failure', maximumRetryCount: Number(m[2]) };
}

/**
 * Whether the shim starts the container again after this exit, as Docker's
 * daemon decides: never after kit stop / kit rm; on-failure only for a
 * non-zero code and at most N times; always and unless-stopped every time.
 */
export function shouldRestart(policy: RestartPolicy | undefined, record: ContainerRecord | undefined, exitCode: number): boolean {
  if (!policy || policy.name === 'no' || !record || record.manuallyStopped) return false;
  if (policy.name === 'on-failure') return exitCode !== 0 && (policy.maximumRetryCount === undefined || record.restartCount < policy.maximumRetryCount);
  return true;
}

/** Docker waits longer after each restart (100 ms, doubled each time); kit caps it at 2 s. */
export function restartDelayMs(restartCount: number): number {
  return Math.min(2000, 100 * 2 ** restartCount);
}
