import { hostname } from 'node:os';
import type { KitPaths, PlanPart } from '../core';
import type { Check, LabRun } from './lab';
import { namespacesDiffer } from './observe';
import { calls, describeClone, failedCall, show } from './trace';

/** Pieces several labs share: the command that waits to be looked at, namespace checks. */

/** A container that does nothing but wait to be looked at: the checker stops it when done. */
export const WAIT = ['/bin/sh', '-c', 'exec sleep 60'];

/** A check that the container has a namespace of its own of `kind` (a /proc/<pid>/ns inode differs from the host's). */
export function ownNamespace(kind: string, flag: string, hint: number): Check {
  return {
    name: `the container has a ${kind} namespace of its own (/proc/<pid>/ns/${kind} differs from the host's)`,
    pass: (run) => (run.seen.namespaces as Record<string, boolean> | undefined)?.[kind] === true,
    diagnose: (run) => run.error ?? `${describeClone(run.trace)}: no ${flag}, so it shares the host's ${kind} namespace`,
    hint,
  };
}

export function observeNamespaces(pid: number, kinds: string[]) {
  return { namespaces: namespacesDiffer(pid, kinds), hostHostname: hostname() };
}

/** "no mount of proc in the trace" or the failed call, for a check about a mount. */
export function mountDiagnosis(run: LabRun, what: RegExp, missing: string): string | undefined {
  if (run.error) return run.error;
  const failed = failedCall(run.trace, 'mount', what);
  if (failed) return `${show(failed)}${failed.errno === 'EBUSY' ? ': you are still in the host\'s mount namespace: add CLONE_NEWNS' : ''}`;
  if (calls(run.trace, 'mount', what).length === 0) return missing;
  return undefined;
}

/** A journaled scratch dir for a run: made by the lab before the student's steps, removed after. */
export function scratchDir(path: string, why: string): PlanPart {
  return {
    prepare: [{ why, run: (ctx) => void ctx.changes.make({ op: 'remove', path }, () => ctx.trace.check(why, (n) => n.mkdir(path, 0o755))) }],
  };
}

export function labDir(paths: KitPaths, id: string): string {
  return `${paths.state}/kit-lab-${id}`;
}
