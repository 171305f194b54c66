import { CLONE } from '../linux';
import type { ContainerSpec } from '../spec';
import type { PlanPart } from './plan';

/**
 * A cgroup namespace takes the caller's current cgroup as its root, so it is
 * created by kit-init after the host has moved the process into its own
 * cgroup (an attach step), not by clone() before that.
 */
export function planCgroupNamespace(spec: ContainerSpec): PlanPart {
  if (!spec.namespaces.includes('cgroup')) return {};
  return {
    container: [
      { op: 'unshare', flags: CLONE.NEWCGROUP, why: 'a cgroup namespace rooted at the cgroup the host placed us in: /proc/self/cgroup shows "/"' },
    ],
  };
}
