import { CLONE, MS, type PlanPart } from 'kit';

/** Wrong on purpose: mounting /proc without a mount namespace of its own. */
export default function lab(): PlanPart {
  return {
    cloneFlags: CLONE.NEWPID,
    container: [{ op: 'mount', source: 'proc', target: '/proc', fstype: 'proc', flags: MS.NOSUID | MS.NODEV | MS.NOEXEC, data: '', why: 'a new procfs' }],
  };
}
