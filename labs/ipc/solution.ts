import { CLONE, type PlanPart } from 'kit';

export default function lab(): PlanPart {
  return { cloneFlags: CLONE.NEWIPC };
}
