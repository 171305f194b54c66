import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..');
const kit = (args: string[]) => spawnSync(process.execPath, [join(repo, 'bin', 'run.js'), ...args], { encoding: 'utf8' });

test('kit --version answers without loading oclif, with the very line oclif prints', () => {
  const fast = kit(['--version']);
  expect(fast.status).toBe(0);
  const viaOclif = spawnSync(process.execPath, ['-e', `require('@oclif/core').execute({ dir: ${JSON.stringify(join(repo, 'bin', 'run.js'))}, args: ['--version'] })`], { cwd: repo, encoding: 'utf8' });
  expect(viaOclif.stdout).toMatch(/^kit\/\d+\.\d+\.\d+ /);
  expect(fast.stdout).toBe(viaOclif.stdout);
  const loaded = spawnSync(process.execPath, ['-e', `process.argv.splice(1, Infinity, 'run.js', '--version'); require(${JSON.stringify(join(repo, 'bin', 'run.js'))}); process.on('exit', () => console.error(Object.keys(require.cache).filter((m) => m.includes('@oclif')).length))`], { encoding: 'utf8' });
  expect(loaded.stderr.trim()).toBe('0');
  expect(kit(['-v']).stdout).toBe(fast.stdout);
});
