import { CLONE, type PlanPart } from 'kit';

/** Wrong on purpose: a namespace, but not the one queues live in. */
export default function lab(): PlanPart {
  return { cloneFlags: CLONE.NEWUTS };
}
