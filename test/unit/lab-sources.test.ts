import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The files students read and copy (starters, reference solutions, the
 * wrong solutions the checker is tested with) compile against core's public
 * API alone, as in a student's editor: labs/tsconfig.json maps 'kit' to
 * core/index.ts and nothing else.
 */
test('every starter and solution type-checks against the public API', () => {
  const root = join(__dirname, '..', '..');
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'labs', 'tsconfig.json')], { encoding: 'utf8' });
  expect(r.stdout + r.stderr).toBe('');
  expect(r.status).toBe(0);
}, 120000);
