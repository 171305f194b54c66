import { CLONE, MS, type PlanPart } from 'kit';

export default function lab(given: { target: string }): PlanPart {
  return {
    cloneFlags: CLONE.NEWNS,
    container: [
      { op: 'mount', fields: ['', '/', '', MS.REC | MS.PRIVATE, ''], why: 'make every mount private: nothing mounted here reaches the host' },
      { op: 'mount', fields: ['tmpfs', given.target, 'tmpfs', 0, 'size=1m'], why: 'a tmpfs only this mount namespace sees' },
    ],
  };
}
