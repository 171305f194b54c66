import { joinParts, type PlanPart } from 'kit';
import uts from '../uts/lab';
import pid from '../pid/lab';
import ipc from '../ipc/lab';
import rootfs from '../rootfs/lab';
import cgroup from '../cgroup/lab';

export default function lab(given: { hostname: string; rootfs: string; cgroup: string; version: 'v1' | 'v2' }): PlanPart {
  return joinParts(uts(given), pid(), ipc(), rootfs(given), cgroup(given));
}
