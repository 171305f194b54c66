import { CLONE, MS, type PlanPart } from 'kit';

export default function lab(): PlanPart {
  return {
    cloneFlags: CLONE.NEWPID | CLONE.NEWNS,
    container: [
      { op: 'mount', fields: ['', '/', '', MS.REC | MS.PRIVATE, ''], why: 'make every mount private: nothing mounted here reaches the host' },
      { op: 'mount', fields: ['proc', '/proc', 'proc', MS.NOSUID | MS.NODEV | MS.NOEXEC, ''], why: 'a procfs of the new PID namespace over /proc' },
    ],
  };
}
