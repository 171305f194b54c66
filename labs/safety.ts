import { CLONE, type ContainerStep, type PlanPart } from '../core';

/**
 * Calls that would change the host itself when a namespace is missing: a
 * checker refuses to run them rather than let a half-done lab rename the
 * host or mount over its /proc. Read from the plan the student's code
 * returned (data), never from its source.
 */
export function unsafeSteps(part: PlanPart): string | undefined {
  const flags = part.cloneFlags ?? 0;
  for (const step of part.container ?? []) {
    if (step.op === 'sethostname' && !(flags & CLONE.NEWUTS)) {
      return `sethostname("${step.name}") without CLONE_NEWUTS would rename the host itself: add CLONE.NEWUTS to cloneFlags (not run)`;
    }
    const mountCall = mountTableCall(step);
    if (mountCall && !(flags & CLONE.NEWNS)) {
      return `${mountCall} without CLONE_NEWNS would change the host's own mount table: you are still in the host's mount namespace: add CLONE.NEWNS to cloneFlags (not run)`;
    }
  }
  return undefined;
}

/** The call as the trace would show its first arguments, for a step that changes the mount table. */
function mountTableCall(step: ContainerStep): string | undefined {
  const call = (name: string, ...args: Array<string | number>) => `${name}(${args.map((a) => JSON.stringify(a)).join(', ')})`;
  if (step.op === 'mount') return call('mount', step.source, step.target);
  if (step.op === 'umount') return call('umount2', step.target, step.flags);
  if (step.op === 'pivot_root') return call('pivot_root', step.newRoot, step.putOld);
  return undefined;
}
