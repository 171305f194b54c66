import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireRoot, tempKitRoot } from '../support/kit';
import { RUNTIME } from '../support/oci-bundle';

/**
 * containerd drives kit-runtime through its runc shim (containerd-shim-runc-v2
 * runs `--runc-binary` as it would runc: create with --log JSON, start,
 * delete). A private containerd on its own socket, root and state dirs,
 * started by the test and stopped by pid; the image is a busybox root
 * filesystem saved by podman as an OCI archive and imported with ctr.
 */
requireRoot();
const kr = tempKitRoot();
const socket = join(kr.root, 'containerd.sock');
/** ctr's namespace: also the shim's runc root (/run/containerd/runc/<ns>) and the cgroups' parent (/<ns>/<id>). */
const ns = `kit-ctr-test-${process.pid}`;
const IMAGE = 'localhost/kit-ctr-busybox:latest';
const runContainerdExisted = existsSync('/run/containerd');
let containerd: ChildProcess;

const ctr = (args: string[], timeout = 60_000) => spawnSync('ctr', ['-a', socket, '-n', ns, ...args], { encoding: 'utf8', timeout });

beforeAll(async () => {
  writeFileSync(join(kr.root, 'config.toml'), [
    'version = 2', `root = "${join(kr.root, 'root')}"`, `state = "${join(kr.root, 'state')}"`, 'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
    '[grpc]', `  address = "${socket}"`, '[ttrpc]', `  address = "${join(kr.root, 'ttrpc.sock')}"`, '',
  ].join('\n'));
  containerd = spawn('containerd', ['--config', join(kr.root, 'config.toml')], { stdio: 'ignore' });
  for (let i = 0; i < 200 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 50));
  expect(existsSync(socket)).toBe(true);
  // An OCI archive of a busybox root filesystem: podman imports the tarball, saves it, ctr imports that.
  const rootfs = join(kr.root, 'rootfs');
  spawnSync('mkdir', ['-p', join(rootfs, 'bin')]);
  spawnSync('cp', ['/bin/busybox', join(rootfs, 'bin', 'busybox')]);
  for (const applet of ['sh', 'echo']) spawnSync('ln', ['-s', 'busybox', join(rootfs, 'bin', applet)]);
  spawnSync('tar', ['-C', rootfs, '-cf', join(kr.root, 'busybox.tar'), '.']);
  const storage = ['--root', join(kr.root, 'storage'), '--runroot', join(kr.root, 'podman-run'), '--storage-driver', 'vfs'];
  expect(spawnSync('podman', [...storage, 'import', '-q', join(kr.root, 'busybox.tar'), IMAGE]).status).toBe(0);
  expect(spawnSync('podman', [...storage, 'save', '-q', '--format', 'oci-archive', '-o', join(kr.root, 'busybox-oci.tar'), IMAGE]).status).toBe(0);
  spawnSync('podman', [...storage, 'system', 'reset', '--force']);
  const imported = ctr(['images', 'import', join(kr.root, 'busybox-oci.tar')]);
  expect(imported.stderr).toBe('');
  expect(imported.status).toBe(0);
}, 180_000);

afterAll(async () => {
  ctr(['containers', 'rm', 'kit-ctr-echo', 'kit-ctr-exit']);
  containerd?.kill('SIGTERM');
  await new Promise((r) => containerd?.once('exit', r));
  for (const hierarchy of ['', ...readdirSync('/sys/fs/cgroup')]) {
    const dir = join('/sys/fs/cgroup', hierarchy, ns);
    if (existsSync(dir)) spawnSync('find', [dir, '-depth', '-type', 'd', '-exec', 'rmdir', '{}', ';']);
  }
  spawnSync('rm', ['-rf', `/run/containerd/runc/${ns}`]);
  if (!runContainerdExisted) spawnSync('rm', ['-rf', '/run/containerd']);
  kr.cleanup();
}, 60_000);

test('ctr run --rm --runc-binary kit-runtime prints its output; the exit code passes through; nothing is left', () => {
  const r = ctr(['run', '--rm', '--runc-binary', RUNTIME, IMAGE, 'kit-ctr-echo', 'echo', 'hi from ctr']);
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe('hi from ctr\n');
  expect(r.status).toBe(0);
  const e = ctr(['run', '--rm', '--runc-binary', RUNTIME, IMAGE, 'kit-ctr-exit', 'sh', '-c', 'exit 7']);
  expect(e.status).toBe(7);
  // kit-runtime's state (under the shim's runc root) is gone, and so are the containers' cgroups
  const state = `/run/containerd/runc/${ns}/run/oci`;
  expect(existsSync(state) ? readdirSync(state) : []).toEqual([]);
  for (const hierarchy of ['', ...readdirSync('/sys/fs/cgroup')]) expect(existsSync(join('/sys/fs/cgroup', hierarchy, ns, 'kit-ctr-echo'))).toBe(false);
  expect(ctr(['containers', 'ls', '-q']).stdout).toBe('');
}, 120_000);
