import { CLONE, type PlanPart } from 'kit';

export default function lab(given: { hostname: string }): PlanPart {
  return {
    cloneFlags: CLONE.NEWUTS,
    container: [{ op: 'sethostname', name: given.hostname, why: 'name the container: only its UTS namespace sees it' }],
  };
}
