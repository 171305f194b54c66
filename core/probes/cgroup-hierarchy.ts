import { CGROUP_ROOT, chooseDriver, detectHost } from '../cgroups/detect';
import type { Probe } from './probe';

const title = 'which cgroup hierarchy this host has (stat -f /sys/fs/cgroup)';

/** v1, v2 or hybrid, as statfs and the mounted controllers tell it, and the driver kit picks. */
export const cgroupHierarchy: Probe = {
  id: 'cgroup-hierarchy',
  title,
  run: () => {
    const host = detectHost();
    const lines = [
      `${CGROUP_ROOT} is a ${host.rootFs}: ${host.rootFs === 'cgroup2fs' ? 'cgroup v2, one tree for every controller' : 'a folder of cgroup v1 mounts, one hierarchy per controller'}`,
      `v1 controllers: ${host.v1Controllers.join(' ') || 'none'}`,
      host.v2Root ? `cgroup2 at ${host.v2Root}, its controllers: ${host.v2Controllers.join(' ') || 'none (it only groups processes)'}` : 'no cgroup2 mounted',
      ...(host.v2Root ? [`delegated to its children, kit/ among them (cgroup.subtree_control): ${host.v2Delegated.join(' ') || 'none'}`] : []),
      `layout: ${host.layout}; kit uses the ${chooseDriver(host).version} driver (--cgroup-driver picks the other one)`,
    ];
    return { text: lines.join('\n') };
  },
};
