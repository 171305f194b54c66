import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reapOrphans, writeState, journalFile, type ContainerState } from '../../core/engine/state';
import { HostChanges } from '../../core/host/journal';
import { self, type ProcessRef } from '../../core/host/process';
import { containerDir, containersDir, kitPaths } from '../../core/paths';
import { TraceRecorder } from '../../core/trace/recorder';
import { requireRoot, tempKitRoot } from '../support/kit';

requireRoot();
const kr = tempKitRoot();
const paths = kitPaths({ KIT_ROOT: kr.root });
afterAll(() => kr.cleanup());

/** A process that has exited: its pid names nobody (or a newer process with another start time). */
function deadOwner(): ProcessRef {
  const r = spawnSync('true');
  return { pid: r.pid!, startTime: -1 };
}

/** What runContainer leaves on disk for a container: state dir and journal, plus one host change. */
function fakeContainer(id: string, owner: ProcessRef): string {
  const dir = containerDir(paths, id);
  mkdirSync(dir, { recursive: true });
  const changes = new HostChanges(journalFile(paths, id), new TraceRecorder());
  const state: ContainerState = { id, name: id, spec: { command: ['true'], env: [], namespaces: [] }, createdAt: '', owner };
  changes.make({ op: 'remove', path: dir }, () => writeState(paths, state));
  const change = join(kr.root, `change-${id}`);
  changes.make({ op: 'rmdir', path: change }, () => mkdirSync(change));
  return change;
}

test("a container whose owner is dead has its journal replayed; a live owner's is left alone", () => {
  const orphanChange = fakeContainer('orphan1', deadOwner());
  const liveChange = fakeContainer('live1', self());
  expect(reapOrphans(paths)).toEqual(['orphan1']);
  expect(existsSync(orphanChange)).toBe(false);
  expect(existsSync(containerDir(paths, 'orphan1'))).toBe(false);
  expect(existsSync(liveChange)).toBe(true);
  expect(existsSync(containerDir(paths, 'live1'))).toBe(true);
  expect(reapOrphans(paths)).toEqual([]);
});

test('two reapers at once: each orphan is reaped exactly once, and all are gone', async () => {
  const ids = Array.from({ length: 40 }, (_, i) => `race${i}`);
  const changes = ids.map((id) => fakeContainer(id, deadOwner()));
  const state = join(__dirname, '..', '..', 'dist', 'core', 'engine', 'state.js');
  const script = `process.stdout.write(JSON.stringify(require(${JSON.stringify(state)}).reapOrphans(${JSON.stringify(paths)})))`;
  const reaper = () =>
    new Promise<string[]>((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`reaper exited ${code}`))));
    });
  const [a, b] = await Promise.all([reaper(), reaper()]);
  expect([...a, ...b].filter((id) => id.startsWith('race')).sort()).toEqual([...ids].sort());
  for (const change of changes) expect(existsSync(change)).toBe(false);
  expect(readdirSync(containersDir(paths)).filter((d) => d.includes('race'))).toEqual([]);
});

test("a reaper killed mid-undo leaves its claim; once it is dead the next kit takes the claim over, a live reaper's is respected", () => {
  const deadReaperChange = fakeContainer('stale1', deadOwner());
  const liveReaperChange = fakeContainer('busy1', deadOwner());
  for (const [id, reaper] of [['stale1', deadOwner()], ['busy1', self()]] as const) {
    mkdirSync(join(containerDir(paths, id), 'reaping'));
    writeFileSync(join(containerDir(paths, id), 'reaping', 'owner'), JSON.stringify(reaper));
  }
  expect(reapOrphans(paths)).toEqual(['stale1']);
  expect(existsSync(deadReaperChange)).toBe(false);
  expect(existsSync(containerDir(paths, 'stale1'))).toBe(false);
  expect(existsSync(liveReaperChange)).toBe(true);
  rmSync(join(containerDir(paths, 'busy1'), 'reaping'), { recursive: true });
  expect(reapOrphans(paths)).toEqual(['busy1']);
});
