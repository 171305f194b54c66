import { CLONE, MS, type PlanPart } from 'kit';

/** Wrong on purpose: PID 1 in a new namespace, but /proc is still the host's. */
export default function lab(): PlanPart {
  return {
    cloneFlags: CLONE.NEWPID | CLONE.NEWNS,
    container: [{ op: 'mount', source: '', target: '/', fstype: '', flags: MS.REC | MS.PRIVATE, data: '', why: 'private mounts' }],
  };
}
