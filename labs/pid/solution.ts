import { CLONE, MS, type PlanPart } from 'kit';

export default function lab(): PlanPart {
  return {
    cloneFlags: CLONE.NEWPID | CLONE.NEWNS,
    container: [
      { op: 'mount', source: '', target: '/', fstype: '', flags: MS.REC | MS.PRIVATE, data: '', why: 'make every mount private: nothing mounted here reaches the host' },
      { op: 'mount', source: 'proc', target: '/proc', fstype: 'proc', flags: MS.NOSUID | MS.NODEV | MS.NOEXEC, data: '', why: 'a procfs of the new PID namespace over /proc' },
    ],
  };
}
