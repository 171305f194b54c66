import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..');

// safe.directory: the unit tests also run as users who do not own the checkout.
test('no tracked file holds a merge conflict marker', () => {
  const files = spawnSync('git', ['-c', 'safe.directory=*', 'ls-files'], { cwd: repo, encoding: 'utf8' }).stdout.split('\n').filter((f) => /\.(ts|js|rs|md|json|toml)$|^\.ci\//.test(f));
  expect(files.length).toBeGreaterThan(50);
  const marked = files.filter((f) => /^(<<<<<<<|>>>>>>>) |^=======$/m.test(readFileSync(join(repo, f), 'utf8')));
  expect(marked).toEqual([]);
});
