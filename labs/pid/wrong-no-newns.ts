import { CLONE, MS, type PlanPart } from 'kit';

/** Wrong on purpose: mounting /proc without a mount namespace of its own. */
export default function lab(): PlanPart {
  return {
    cloneFlags: CLONE.NEWPID,
    container: [{ op: 'mount', fields: ['proc', '/proc', 'proc', MS.NOSUID | MS.NODEV | MS.NOEXEC, ''], why: 'a new procfs' }],
  };
}
