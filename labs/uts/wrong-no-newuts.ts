import type { PlanPart } from 'kit';

/** Wrong on purpose: sethostname without a UTS namespace would rename the host. */
export default function lab(given: { hostname: string }): PlanPart {
  return { container: [{ op: 'sethostname', name: given.hostname, why: 'name the container' }] };
}
