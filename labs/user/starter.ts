import { CLONE, type PlanPart } from 'kit';

interface Given {
  hostUid: number;
  hostGid: number;
  count: number;
  /** 'deny' without root: the kernel wants it before an unprivileged gid_map. */
  setgroups: 'allow' | 'deny';
}

/**
 * Lab user: the container's root is uid given.hostUid on the host.
 * given.hostUid, hostGid, count: the host ids the container's 0.. map to
 * (as root a range; without root only your own id, count 1).
 */
export default function lab(given: Given): PlanPart {
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
