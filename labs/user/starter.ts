import { CLONE, type PlanPart } from 'kit';

/**
 * Lab user: the container's root is uid given.hostId on the host.
 * given.hostId, given.count: the range of host ids the container's 0.. map to.
 */
export default function lab(given: { hostId: number; count: number }): PlanPart {
  void CLONE;
  void given;
  return {
    cloneFlags: 0, // TODO: a user namespace
    attach: [
      // TODO: while the child waits: setgroups, uid_map, gid_map in /proc/<ctx.pid>/
    ],
    // TODO: release the child once its maps are written
  };
}
