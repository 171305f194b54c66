import { CLONE, type PlanPart } from 'kit';

/** Wrong on purpose: a new mount namespace, but mounts still propagate to the host. */
export default function lab(given: { target: string }): PlanPart {
  return {
    cloneFlags: CLONE.NEWNS,
    container: [{ op: 'mount', source: 'tmpfs', target: given.target, fstype: 'tmpfs', flags: 0, data: 'size=1m', why: 'a tmpfs' }],
  };
}
