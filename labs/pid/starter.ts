import { CLONE, MS, type PlanPart } from 'kit';

/**
 * Lab pid: the container's command becomes PID 1, and its /proc shows only
 * its own processes.
 *
 * Container steps are syscalls kit-init makes inside, in order:
 *   { op: 'mount', source, target, fstype, flags, data, why: '...' }
 * (use '' for a NULL source, fstype or data).
 */
export default function lab(): PlanPart {
  void CLONE;
  void MS;
  return {
    cloneFlags: 0, // TODO: a new PID namespace, and a new mount namespace to mount /proc in
    container: [
      // TODO: make every mount private (MS_REC | MS_PRIVATE on "/")
      // TODO: mount a new procfs on /proc
    ],
  };
}
