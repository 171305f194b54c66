import { CLONE, MS, type PlanPart } from 'kit';

export default function lab(given: { target: string }): PlanPart {
  return {
    cloneFlags: CLONE.NEWNS,
    container: [
      { op: 'mount', source: '', target: '/', fstype: '', flags: MS.REC | MS.PRIVATE, data: '', why: 'make every mount private: nothing mounted here reaches the host' },
      { op: 'mount', source: 'tmpfs', target: given.target, fstype: 'tmpfs', flags: 0, data: 'size=1m', why: 'a tmpfs only this mount namespace sees' },
    ],
  };
}
