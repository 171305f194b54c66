import { readFileSync } from 'node:fs';

/**
 * The cgroups this process is in, as /proc/self/cgroup lists them: each v1
 * controller's path (they may differ from one hierarchy to another), and
 * the unified tree's under ''. An OCI config's relative cgroupsPath is
 * taken below them, as runc takes it below its own.
 */
export function ownCgroups(file = '/proc/self/cgroup'): Record<string, string> {
  const own: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const [id, controllers, ...path] = line.split(':');
    if (id === '0' && controllers === '') own[''] = path.join(':');
    else for (const c of controllers.split(',')) own[c] = path.join(':');
  }
  return own;
}
