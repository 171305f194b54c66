import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** What `kit run` loads (its command module, and so core's entry point), in a fresh Node. */
function loadedBy(file: string): string[] {
  const script = `require(${JSON.stringify(file)}); console.log(JSON.stringify(Object.keys(require.cache)))`;
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as string[];
}

test('kit run loads no archive reader, OCI bundle code, chapter runner or zod: they load on first call', () => {
  const loaded = loadedBy(join(root, 'bin', 'commands', 'run.ts'));
  expect(loaded.some((f) => f.includes('/core/engine/run.'))).toBe(true); // what it does need
  for (const lazy of ['/node_modules/zod/', '/core/image/import.', '/core/oci/config.', '/core/curriculum/chapter.', '/core/probes/index.', '/core/build/build.']) {
    expect(loaded.filter((f) => f.includes(lazy))).toEqual([]);
  }
});

test('a lazy export is the real function, its module loaded on the first call', () => {
  const script = `const core = require('./core');
    const loaded = () => Object.keys(require.cache).some((f) => f.includes('/core/image/import.'));
    const before = loaded();
    Promise.resolve().then(() => core.importImage(undefined, { data: '/nonexistent', state: '/nonexistent' }, '/nonexistent/x.tar'))
      .then(() => console.log(before, loaded(), 'resolved'), () => console.log(before, loaded(), 'rejected'));`;
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: root, encoding: 'utf8' });
  expect(r.stdout.trim()).toBe('false true rejected');
});
