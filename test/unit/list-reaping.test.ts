import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { listContainers } from '../../core/engine/list';
import { writeState } from '../../core/engine/state';
import { processStat, self } from '../../core/host/process';
import type { KitPaths } from '../../core/paths';

/**
 * `kit ps` while another kit process reaps a container whose kit was killed
 * before it wrote the container's record (the soak: kill -9 of `kit run -d`
 * at 126 ms, then `kit ps`): the state dir is there, its owner is dead, and
 * the other reaper holds the claim. It is not listed, and nothing throws.
 */
test('a container whose owner died, being reaped by another kit, is not listed', () => {
  const root = mkdtempSync(join(tmpdir(), 'kit-list-reaping-'));
  try {
    const paths: KitPaths = { data: join(root, 'data'), state: join(root, 'run') };
    const id = 'a1b2c3d4e5f6';
    const dir = join(paths.state, 'containers', id);
    mkdirSync(dir, { recursive: true });
    // A process that has exited: the owner kit, killed.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const pid = Number(dead.stdout);
    expect(processStat(pid)).toBeUndefined();
    writeState(paths, { id, name: 'half-made', spec: { command: ['sleep', '5'], namespaces: [] }, createdAt: new Date().toISOString(), owner: { pid, startTime: 1 } });
    // Another kit (alive: this process stands for it) is undoing it right now.
    mkdirSync(join(dir, 'reaping'));
    writeFileSync(join(dir, 'reaping', 'owner'), JSON.stringify(self()));
    expect(listContainers(paths, { all: true })).toEqual([]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
