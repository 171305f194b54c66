import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CGROUP_ROOT, detectHost } from '../cgroups/detect';
import type { Probe } from './probe';

const title = "kit's cgroup directories on the host";

/** Every <hierarchy>/kit/<id> directory that exists now: after a run, none of this run's. */
export const kitCgroups: Probe = {
  id: 'kit-cgroups',
  title,
  run: () => {
    const dirs = kitCgroupDirs();
    return { title: `${title}: ${dirs.length}`, text: dirs.join('\n') || '(none: kit removed what it created)' };
  },
};

function kitCgroupDirs(): string[] {
  const host = detectHost();
  const roots = [...host.v1Controllers.map((c) => join(CGROUP_ROOT, c)), ...(host.v2Root ? [host.v2Root] : [])];
  return roots.flatMap((root) => {
    const parent = join(root, 'kit');
    if (!existsSync(parent)) return [];
    return readdirSync(parent, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(parent, e.name));
  });
}
