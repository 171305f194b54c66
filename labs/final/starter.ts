import { joinParts, type PlanPart } from 'kit';
// Your own pieces, from ~/kit-labs/<lab>/lab.ts:
// import uts from '../uts/lab';
// import pid from '../pid/lab';
// import ipc from '../ipc/lab';
// import rootfs from '../rootfs/lab';
// import cgroup from '../cgroup/lab';

/**
 * Lab final: a mini `docker run --hostname kit-lab --cpu-quota 50000 base sh`.
 * given: { hostname, rootfs, cgroup, version }: what your uts, rootfs and
 * cgroup labs take.
 */
export default function lab(given: { hostname: string; rootfs: string; cgroup: string; version: 'v1' | 'v2' }): PlanPart {
  void given;
  return joinParts(
    // TODO: your uts, pid, ipc, rootfs and cgroup parts, in that order
  );
}
