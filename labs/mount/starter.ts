import { CLONE, MS, type PlanPart } from 'kit';

/**
 * Lab mount: mount a tmpfs on given.target in the container, and only there.
 * given.target is a shared mount point, as "/" is on most hosts.
 */
export default function lab(given: { target: string }): PlanPart {
  void CLONE;
  void MS;
  void given;
  return {
    cloneFlags: 0, // TODO: a mount namespace of its own
    container: [
      // TODO: make every mount private, then mount a tmpfs on given.target
    ],
  };
}
