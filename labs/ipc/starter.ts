import { CLONE, type PlanPart } from 'kit';

/**
 * Lab ipc: the lab makes a System V message queue on the host (like
 * `ipcmk -Q`); the container must not see it.
 */
export default function lab(): PlanPart {
  void CLONE;
  return {
    cloneFlags: 0, // TODO: the namespace that holds message queues
  };
}
