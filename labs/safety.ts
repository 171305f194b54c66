import { CLONE, type PlanPart } from '../core';

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
      return `sethostname("${step.fields[0]}") without CLONE_NEWUTS would rename the host itself: add CLONE.NEWUTS to cloneFlags (not run)`;
    }
    if (['mount', 'umount2', 'pivot_root'].includes(step.op) && !(flags & CLONE.NEWNS)) {
      return `${step.op}(${step.fields.slice(0, 2).map((f) => JSON.stringify(f)).join(', ')}) without CLONE_NEWNS would change the host's own mount table: you are still in the host's mount namespace: add CLONE.NEWNS to cloneFlags (not run)`;
    }
  }
  return undefined;
}
