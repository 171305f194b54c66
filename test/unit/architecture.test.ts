import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The architecture rules of .dependency-cruiser.js (bin/, chapters/, labs/
 * use only core/index.ts; no import cycles), checked on every `npm test`
 * and land. A violation names the file and the import to change.
 */
test('imports follow the architecture rules (npm run lint)', () => {
  const root = join(__dirname, '..', '..');
  const r = spawnSync('npm', ['run', '--silent', 'lint'], { cwd: root, encoding: 'utf8' });
  expect(`${r.stdout}${r.stderr}`).toContain('no dependency violations found');
  expect(r.status).toBe(0);
}, 60000);
