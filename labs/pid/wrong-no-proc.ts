import { CLONE, MS, type PlanPart } from 'kit';

/** Wrong on purpose: PID 1 in a new namespace, but /proc is still the host's. */
export default function lab(): PlanPart {
  return {
    cloneFlags: CLONE.NEWPID | CLONE.NEWNS,
    container: [{ op: 'mount', fields: ['', '/', '', MS.REC | MS.PRIVATE, ''], why: 'private mounts' }],
  };
}
