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

test('kit and kit-runtime start without NODE_EXTRA_CA_CERTS, which Node would parse at every start (bin/run.js)', () => {
  // a file Node cannot read makes it say so at start-up: the sign that it tried
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: join(repo, 'no-such-ca-bundle.pem') };
  const warning = /Ignoring extra certs/;
  expect(spawnSync(process.execPath, ['-e', '0'], { env, encoding: 'utf8' }).stderr).toMatch(warning); // the sign works
  const asOnPath = spawnSync(join(repo, 'bin', 'run.js'), ['--version'], { env, encoding: 'utf8' }); // via its #! line, as `kit` on PATH
  expect(asOnPath.status).toBe(0);
  expect(asOnPath.stderr).not.toMatch(warning);
  expect(asOnPath.stdout).toBe(kit(['--version']).stdout);
  const childEnv = spawnSync(join(repo, 'bin', 'run.js'), ['--version'], { env: { ...env, NODE_OPTIONS: `--require ${join(repo, 'test', 'support', 'print-ca-env.js')}` }, encoding: 'utf8' });
  expect(childEnv.stderr).toContain('NODE_EXTRA_CA_CERTS=undefined'); // nor do the processes kit starts get it
  for (const runtime of [join(repo, 'bin', 'kit-runtime.js'), join(repo, 'native-rs', 'kit-runtime')]) {
    const r = spawnSync(runtime, ['--version'], { env, encoding: 'utf8' });
    expect({ runtime, status: r.status, stderr: r.stderr }).toEqual({ runtime, status: 0, stderr: '' });
  }
});
