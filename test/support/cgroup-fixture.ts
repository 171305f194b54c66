import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as detect from '../../core/cgroups/detect';

/**
 * Make kit see a cgroup v2 host whose tree is a temp dir offering (and delegating) `controllers`,
 * whatever this machine mounts: plans and engine runs through a fake native
 * then come out the same everywhere. Returns the fixture root and a restore.
 */
export function fakeCgroupV2Host(controllers = ['cpuset', 'cpu', 'io', 'memory', 'pids']): { root: string; restore: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'kit-cgfixture-'));
  writeFileSync(join(root, 'cgroup.controllers'), controllers.join(' ') + '\n');
  writeFileSync(join(root, 'cgroup.subtree_control'), controllers.join(' ') + '\n'); // delegated to kit
  const spy = jest.spyOn(detect, 'detectHost').mockReturnValue({ layout: 'v2', rootFs: 'cgroup2fs', v1Controllers: [], v2Root: root, v2Controllers: controllers, v2Delegated: controllers });
  return {
    root,
    restore: () => {
      spy.mockRestore();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
