import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanKitRoot, kit, kitJson } from '../support/kit';

/**
 * Archives the real Docker writes and reads: a private dockerd (Debian's
 * docker.io) on its own socket, data root, exec root and cgroup parent under
 * this test's kit root, without iptables or a bridge, stopped by pid. It
 * builds a FROM scratch image and a layered one with a deleted file (a
 * whiteout), saves both in one archive (`docker save A B`: manifest.json
 * with two entries, and a layer shared by both, which Docker writes once
 * and links), and loads what `kit image export --format docker-save` wrote.
 */
let dockerd: ChildProcess | undefined;
const cgroupParent = `kit-docker-test-${process.pid}`;
const kr = cleanKitRoot(() => {
  // Stop the daemon by its pid (it stops its own containerd), then the cgroups it made under our parent.
  if (dockerd?.pid && dockerd.exitCode === null) {
    dockerd.kill('SIGTERM');
    spawnSync('sh', ['-c', `while kill -0 ${dockerd.pid} 2>/dev/null; do sleep 0.1; done`], { timeout: 30000 });
  }
  for (const hierarchy of ['', ...readdirSync('/sys/fs/cgroup')]) {
    const dir = join('/sys/fs/cgroup', hierarchy, cgroupParent);
    if (existsSync(dir)) spawnSync('find', [dir, '-depth', '-type', 'd', '-exec', 'rmdir', '{}', ';']);
  }
});
const dk = join(kr.root, 'dk');
const socket = join(dk, 'docker.sock');
const env = { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: join(dk, 'config'), DOCKER_BUILDKIT: '0' };
const docker = (...args: string[]) => {
  const r = spawnSync('docker', args, { env, encoding: 'utf8', timeout: 120000 });
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout.trim();
};
const file = (name: string) => join(kr.root, name);

beforeAll(async () => {
  mkdirSync(dk, { recursive: true });
  dockerd = spawn(
    'dockerd',
    ['--data-root', join(dk, 'root'), '--exec-root', join(dk, 'exec'), '--pidfile', join(dk, 'docker.pid'), '-H', `unix://${socket}`,
      '--iptables=false', '--ip6tables=false', '--bridge=none', '--storage-driver', 'vfs', '--cgroup-parent', `/${cgroupParent}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  dockerd.stderr?.on('data', (d) => (log = (log + d).slice(-4000)));
  for (let i = 0; i < 600 && spawnSync('docker', ['version'], { env }).status !== 0; i++) {
    if (dockerd.exitCode !== null) throw new Error(`dockerd exited ${dockerd.exitCode}: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const ctx = join(kr.root, 'ctx');
  mkdirSync(ctx);
  writeFileSync(join(ctx, 'busybox'), readFileSync('/bin/busybox'), { mode: 0o755 });
  writeFileSync(join(ctx, 'Scratch'), 'FROM scratch\nCOPY busybox /busybox\nCMD ["/busybox","echo","hello from docker"]\n');
  writeFileSync(
    join(ctx, 'Layered'),
    'FROM kit-dk-scratch\nRUN ["/busybox","sh","-c","/busybox mkdir /data && echo keep > /data/keep && echo gone > /data/gone"]\nRUN ["/busybox","rm","/data/gone"]\nCMD ["/busybox","ls","/data"]\n',
  );
  docker('build', '-q', '--network', 'none', '-t', 'kit-dk-scratch', '-f', join(ctx, 'Scratch'), ctx);
  docker('build', '-q', '--network', 'none', '-t', 'kit-dk-layered', '-f', join(ctx, 'Layered'), ctx);
  docker('save', '-o', file('two.tar'), 'kit-dk-scratch', 'kit-dk-layered');
}, 180000);

test('docker save of two images: both import under their names and run (scratch prints, the whiteout hides the deleted file)', () => {
  const result = kitJson<{ images: Array<{ name: string; layers: string[] }>; format: string }>(['image', 'import', file('two.tar')], kr.env);
  expect(result.format).toBe('docker-save');
  const byName = Object.fromEntries(result.images.map((i) => [i.name, i.layers]));
  expect(Object.keys(byName).sort()).toEqual(['kit-dk-layered', 'kit-dk-scratch']);
  // The busybox layer is shared: stored once, the bottom of both.
  expect(byName['kit-dk-layered']).toHaveLength(3);
  expect(byName['kit-dk-layered'][0]).toBe(byName['kit-dk-scratch'][0]);
  expect(kit(['run', '--rm', 'kit-dk-scratch'], kr.env).stdout).toBe('hello from docker\n');
  expect(kit(['run', '--rm', 'kit-dk-layered'], kr.env).stdout).toBe('keep\n');
});

test('what kit exports as a docker save, docker loads and runs', () => {
  const out = file('kit-export.tar');
  kitJson(['image', 'export', 'kit-dk-layered', '--format', 'docker-save', '-o', out], kr.env);
  docker('rmi', 'kit-dk-layered');
  expect(docker('load', '-i', out)).toContain('Loaded image: kit-dk-layered:latest');
  expect(docker('run', '--rm', '--network', 'none', 'kit-dk-layered:latest')).toBe('keep');
  expect(JSON.parse(docker('image', 'inspect', 'kit-dk-layered:latest'))[0].RootFS.Layers).toHaveLength(3);
});

test('the pipes a Docker tutorial types, with kit on one end: docker save | kit load, kit save | docker load', () => {
  const kitCmd = `'${process.execPath}' '${join(__dirname, '..', '..', 'bin', 'run.js')}'`;
  const sh = (line: string) => spawnSync('sh', ['-c', line], { env: { ...env, ...kr.env }, encoding: 'utf8', timeout: 120000 });
  const toKit = sh(`docker save kit-dk-scratch | ${kitCmd} load`);
  expect(toKit).toMatchObject({ status: 0, stdout: 'Loaded image: kit-dk-scratch\n' });
  expect(kit(['run', '--rm', 'kit-dk-scratch'], kr.env).stdout).toBe('hello from docker\n');
  docker('rmi', 'kit-dk-scratch');
  const toDocker = sh(`${kitCmd} save kit-dk-scratch | docker load`);
  expect(toDocker.status).toBe(0);
  expect(toDocker.stdout).toContain('Loaded image: kit-dk-scratch:latest');
  expect(docker('run', '--rm', '--network', 'none', 'kit-dk-scratch:latest')).toBe('hello from docker');
});
