import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hostSnapshot, kit, requireRoot, tempKitRoot } from '../support/kit';

/** kit as an OCI runtime (first step): a bundle made by hand, run with kit-runtime as with `runc run`. */
requireRoot();
const kr = tempKitRoot();
const before = hostSnapshot(kr.root);
afterEach(() => expect(hostSnapshot(kr.root)).toEqual(before));
afterAll(() => kr.cleanup());

const RUNTIME = resolve(__dirname, '../../bin/kit-runtime.js');

/** A bundle: busybox (the host's, static) as rootfs/bin, config.json from `kit runtime spec`, changed by `edit`. */
function makeBundle(name: string, edit: (config: Record<string, any>) => void): string {
  const dir = join(kr.root, name);
  mkdirSync(join(dir, 'rootfs', 'bin'), { recursive: true });
  copyFileSync('/bin/busybox', join(dir, 'rootfs', 'bin', 'busybox'));
  for (const applet of ['sh', 'echo', 'hostname', 'cat']) spawnSync('ln', ['-s', 'busybox', join(dir, 'rootfs', 'bin', applet)]);
  const spec = kit(['runtime', 'spec', dir], kr.env);
  expect(spec.stderr).toBe('');
  expect(spec.status).toBe(0);
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  edit(config);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

function runtime(args: string[]) {
  return spawnSync(process.execPath, [RUNTIME, '--root', kr.root, ...args], { encoding: 'utf8', env: kr.env, timeout: 60_000 });
}

test('kit runtime path prints the kit-runtime executable', () => {
  const r = kit(['runtime', 'path'], kr.env);
  expect(r.status).toBe(0);
  expect(r.stdout.trim()).toBe(RUNTIME);
  expect(existsSync(r.stdout.trim())).toBe(true);
});

test("run --bundle: the container's output, its exit code (7) as kit-runtime's, the hostname from config.json", () => {
  const bundle = makeBundle('b-exit', (c) => {
    c.process.args = ['sh', '-c', 'echo "hello from $(hostname) pid $$"; exit 7'];
    c.hostname = 'oci-box';
  });
  const r = runtime(['run', '--bundle', bundle, 'kit-oci-exit']);
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe('hello from oci-box pid 1\n');
  expect(r.status).toBe(7);
  // the state the run made is gone; the bundle is the caller's and stays
  expect(readdirSync(join(kr.root, 'run', 'containers'))).toEqual([]);
  expect(existsSync(join(bundle, 'rootfs', 'bin', 'busybox'))).toBe(true);
});

test('an unsupported mount type is one line naming the field, exit 1, logged as JSON with --log, nothing left', () => {
  const bundle = makeBundle('b-bind', (c) => c.mounts.push({ destination: '/data', type: 'bind', source: '/etc', options: ['rbind'] }));
  const log = join(kr.root, 'runtime.log');
  const r = runtime(['--log', log, '--log-format', 'json', 'run', '--bundle', bundle, 'kit-oci-bind']);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^kit-runtime: mounts\[5\]: type "bind" is not supported by kit-runtime yet; /)]);
  expect(r.status).toBe(1);
  const entries = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(entries).toEqual([expect.objectContaining({ level: 'error', msg: expect.stringContaining('mounts[5]: type "bind"') })]);
  expect(existsSync(join(bundle, 'rootfs', 'data'))).toBe(false);
});

test('the verbs not implemented yet say so in one line and exit 1; --version answers', () => {
  for (const verb of ['create', 'start', 'state', 'kill', 'delete', 'exec', 'ps', 'pause', 'resume', 'features', 'list']) {
    const r = runtime([verb, 'x']);
    expect(r.stderr).toBe(`kit-runtime: "${verb}" is not implemented by kit-runtime yet; only run, spec and --version are (kit-runtime is a first step)\n`);
    expect(r.status).toBe(1);
  }
  const v = runtime(['--version']);
  expect(v.status).toBe(0);
  expect(v.stdout).toMatch(/^kit-runtime version \d+\.\d+\.\d+\nspec: 1\.0\.2\n$/);
});
