import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { craftTar, makeTree, sha256, tarOf } from '../support/images';
import { cleanKitRoot, kit, kitJson } from '../support/kit';

/**
 * Archives real tools write, made in the test by buildah, podman and skopeo
 * from Debian (each with a private storage root and runroot under this
 * test's kit root, removed with it), and the legacy and Docker 25+ `docker
 * save` layouts built to their specification.
 */
const kr = cleanKitRoot(() => removeToolState());
const store = join(kr.root, 'containers-storage');
const common = ['--root', join(store, 'root'), '--runroot', join(store, 'run'), '--storage-driver', 'vfs'];
const buildah = (...args: string[]) => execFileSync('buildah', [...common, ...args], { encoding: 'utf8' }).trim();
// podman as this sandbox needs it: runc, cgroupfs, the file events logger, ulimits within its hard limits.
const podman = (...args: string[]) =>
  execFileSync('podman', [...common, '--runtime', 'runc', '--cgroup-manager', 'cgroupfs', '--events-backend', 'file', ...args], { encoding: 'utf8' }).trim();
const file = (name: string) => join(kr.root, name);

interface ImageJson {
  name: string;
  layers: string[];
  format: string;
  config: { Cmd?: string[]; Entrypoint?: string[]; Env?: string[] };
  images?: ImageJson[];
  warnings: string[];
}

beforeAll(() => {
  // FROM scratch: a static busybox and nothing else (no /proc, /dev, /sys, /etc).
  const c = buildah('from', 'scratch');
  buildah('copy', c, '/bin/busybox', '/busybox');
  buildah('config', '--cmd', '["/busybox","echo","hello from scratch"]', c);
  buildah('commit', '-q', c, 'kit-scratch');
  // Two more layers on it: one adds files, the next deletes one (a whiteout) and adds another.
  const d = buildah('from', 'kit-scratch');
  const mnt = buildah('mount', d);
  makeTree(mnt, { 'data/keep': 'kept\n', 'data/gone': 'to be deleted\n' });
  buildah('commit', '-q', d, 'kit-layered-1');
  const e = buildah('from', 'kit-layered-1');
  const mnt2 = buildah('mount', e);
  execFileSync('rm', [join(mnt2, 'data/gone')]);
  writeFileSync(join(mnt2, 'data/new'), 'new\n');
  buildah('config', '--cmd', '["/busybox","ls","/data"]', e);
  buildah('commit', '-q', e, 'kit-layered');
  buildah('rm', '--all');
  buildah('push', '-q', 'kit-scratch', `oci-archive:${file('scratch-oci.tar')}:kit-scratch:latest`);
  buildah('push', '-q', 'kit-scratch', `docker-archive:${file('scratch-docker.tar')}:kit-scratch:latest`);
  execFileSync('skopeo', ['copy', '-q', `oci-archive:${file('scratch-oci.tar')}`, `oci:${file('scratch-ocidir')}:latest`]);
  buildah('push', '-q', 'kit-layered', `docker-archive:${file('layered.tar')}:kit-layered:latest`);
  podman('save', '-q', '-m', '--format', 'docker-archive', '-o', file('two.tar'), 'localhost/kit-scratch:latest', 'localhost/kit-layered:latest');
}, 120000);

/**
 * podman's cgroups (cgroupfs manager) go under a parent of this test's own,
 * removed afterwards; conmon's go to libpod_parent/conmon, removed too when
 * this test made it (rmdir: only while empty, so never from under another podman).
 */
const cgroupParent = `kit-images-test-${process.pid}`;
const libpodExisted = existsSync('/sys/fs/cgroup/pids/libpod_parent') || existsSync('/sys/fs/cgroup/libpod_parent');

/**
 * The tools' images and podman's cgroups: run by cleanKitRoot before it
 * removes the kit root (an afterAll of this file would run after that, and
 * buildah would make its storage dirs in the removed root again).
 */
function removeToolState(): void {
  try {
    buildah('rmi', '--all', '--force');
  } catch {
    // the kit root (storage included) is removed anyway
  }
  const ours = libpodExisted ? [cgroupParent] : [cgroupParent, 'libpod_parent'];
  for (const hierarchy of ['', ...readdirSync('/sys/fs/cgroup')]) {
    for (const name of ours) {
      const dir = join('/sys/fs/cgroup', hierarchy, name);
      if (existsSync(dir)) spawnSync('find', [dir, '-depth', '-type', 'd', '-exec', 'rmdir', '{}', ';']);
    }
  }
}

describe('FROM scratch, from every tool', () => {
  test.each([
    ['podman/buildah oci-archive', 'scratch-oci.tar', 'oci-layout'],
    ['buildah docker-archive', 'scratch-docker.tar', 'docker-save'],
    ['skopeo oci: layout directory', 'scratch-ocidir', 'oci-layout'],
  ])('%s imports and runs, its mount points made in the container layer only', (_label, name, format) => {
    const image = kitJson<ImageJson>(['image', 'import', file(name), '--name', `scratch-${format}-${name.length}`], kr.env);
    expect(image.format).toBe(format);
    expect(image.config.Cmd).toEqual(['/busybox', 'echo', 'hello from scratch']);
    const r = kit(['run', image.name], kr.env);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello from scratch\n');
    expect(r.status).toBe(0);
    // The shared image layer is untouched: still only the binary.
    expect(readdirSync(join(kr.root, 'data', 'layers', image.layers[0].slice(7), 'diff'))).toEqual(['busybox']);
  });

  test('without --name, the image is named by its RepoTag', () => {
    const image = kitJson<ImageJson>(['image', 'import', file('scratch-docker.tar')], kr.env);
    expect(image.name).toBe('kit-scratch');
  });
});

test('a multi-layer image with a whiteout: the deleted file is gone, the others stay', () => {
  const image = kitJson<ImageJson>(['image', 'import', file('layered.tar'), '--name', 'layered'], kr.env);
  expect(image.layers).toHaveLength(3);
  const r = kit(['run', 'layered'], kr.env);
  expect(r.stdout.split(/\s+/).filter(Boolean)).toEqual(['keep', 'new']);
});

describe('a save of two images', () => {
  test('imports both, each by its RepoTag', () => {
    const k = { ...kr.env, KIT_ROOT: join(kr.root, 'two-all') };
    const result = kitJson<ImageJson>(['image', 'import', file('two.tar')], k);
    expect(result.images?.map((i) => i.name).sort()).toEqual(['kit-layered', 'kit-scratch']);
    expect(kit(['run', 'kit-layered'], k).stdout).toBe('keep\nnew\n');
    expect(kit(['run', 'kit-scratch'], k).stdout).toBe('hello from scratch\n');
  });

  test('--name picks one; a name that is none of them lists the choices', () => {
    const k = { ...kr.env, KIT_ROOT: join(kr.root, 'two-one') };
    const one = kitJson<ImageJson>(['image', 'import', file('two.tar'), '--name', 'kit-layered'], k);
    expect(one.name).toBe('kit-layered');
    expect(kitJson<ImageJson[]>(['image', 'ls'], k).map((i) => i.name)).not.toContain('kit-scratch');
    const r = kit(['image', 'import', file('two.tar'), '--name', 'other'], k);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/^kit: the archive holds 2 images \(.*kit-scratch.*kit-layered.*|.*kit-layered.*kit-scratch.*\) and --name other names none of them/);
  });
});

test('Docker 25+ save (manifest.json beside an OCI layout, layers as blobs) imports by its manifest', () => {
  const dir = join(kr.root, 'docker25');
  execFileSync('cp', ['-a', file('scratch-ocidir'), dir]);
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  const manifest = JSON.parse(readFileSync(join(dir, 'blobs/sha256', index.manifests[0].digest.slice(7)), 'utf8'));
  const blob = (d: string) => `blobs/sha256/${d.slice(7)}`;
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify([{ Config: blob(manifest.config.digest), RepoTags: ['docker25:latest'], Layers: manifest.layers.map((l: { digest: string }) => blob(l.digest)) }]));
  const image = kitJson<ImageJson>(['image', 'import', tarOf(dir, file('docker25.tar'))], kr.env);
  expect([image.name, image.format]).toEqual(['docker25', 'docker-save']);
  expect(kit(['run', 'docker25'], kr.env).stdout).toBe('hello from scratch\n');
});

test('a legacy docker save (repositories, <id>/json, <id>/layer.tar) imports as its layers, not as a root filesystem', async () => {
  const dir = join(kr.root, 'legacy');
  const src = makeTree(join(kr.root, 'legacy-src1'), { busybox: readFileSync('/bin/busybox') });
  execFileSync('chmod', ['755', join(src, 'busybox')]);
  const l1 = tarOf(src, file('legacy-l1.tar'));
  const l2 = await craftTar(file('legacy-l2.tar'), [{ path: 'etc/', type: 'dir', mode: 0o755 }, { path: 'etc/motd', body: 'legacy\n' }]);
  const [id1, id2] = [sha256(Buffer.from('layer1')).slice(7), sha256(Buffer.from('layer2')).slice(7)];
  mkdirSync(join(dir, id1), { recursive: true });
  mkdirSync(join(dir, id2), { recursive: true });
  execFileSync('cp', [l1, join(dir, id1, 'layer.tar')]);
  execFileSync('cp', [l2, join(dir, id2, 'layer.tar')]);
  writeFileSync(join(dir, id1, 'json'), JSON.stringify({ id: id1, container_config: { Cmd: ['/bin/sh', '-c', '#(nop) ADD busybox'] } }));
  writeFileSync(join(dir, id2, 'json'), JSON.stringify({ id: id2, parent: id1, architecture: 'amd64', os: 'linux', config: { Cmd: ['/busybox', 'cat', '/etc/motd'] } }));
  for (const id of [id1, id2]) writeFileSync(join(dir, id, 'VERSION'), '1.0');
  writeFileSync(join(dir, 'repositories'), JSON.stringify({ oldimage: { latest: id2 } }));
  const image = kitJson<ImageJson>(['image', 'import', tarOf(dir, file('legacy.tar'))], kr.env);
  expect([image.name, image.format, image.layers.length]).toEqual(['oldimage', 'docker-save-legacy', 2]);
  expect(kit(['run', 'oldimage'], kr.env).stdout).toBe('legacy\n');
});

describe('kit image export --format oci', () => {
  test('skopeo inspects it and podman loads and runs it', () => {
    const out = file('kit-oci.tar');
    kitJson(['image', 'export', 'layered', '-o', out, '--format', 'oci'], kr.env);
    const info = JSON.parse(execFileSync('skopeo', ['inspect', `oci-archive:${out}`], { encoding: 'utf8' }));
    expect(info.Layers).toHaveLength(3);
    expect(info.Architecture).toBe('amd64');
    expect(podman('load', '-q', '-i', out)).toMatch(/localhost\/layered:latest/);
    const printed = podman('run', '--rm', '--network', 'none', '--cgroup-parent', `/${cgroupParent}`, '--ulimit', 'nofile=20000:20000', '--ulimit', 'nproc=32768:32768', 'localhost/layered:latest');
    expect(printed.split(/\s+/)).toEqual(['keep', 'new']);
    // And back into kit: three layers (re-packed by kit's writer, so new diffIDs), the same files.
    const back = kitJson<ImageJson>(['image', 'import', out, '--name', 'layered-back'], kr.env);
    expect(back.layers).toHaveLength(3);
    expect(kit(['run', 'layered-back'], kr.env).stdout).toBe('keep\nnew\n');
  });
});

describe('platform and config', () => {
  /** A one-layer docker save of busybox whose config is `config`. */
  async function saveWith(name: string, config: object): Promise<string> {
    const src = makeTree(join(kr.root, `${name}-src`), { busybox: readFileSync('/bin/busybox') });
    execFileSync('chmod', ['755', join(src, 'busybox')]);
    const layer = tarOf(src, file(`${name}-layer.tar`));
    const dir = join(kr.root, `${name}-save`);
    mkdirSync(dir, { recursive: true });
    execFileSync('cp', [layer, join(dir, 'layer.tar')]);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, rootfs: { type: 'layers', diff_ids: [sha256(readFileSync(layer))] } }));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify([{ Config: 'config.json', RepoTags: [`${name}:latest`], Layers: ['layer.tar'] }]));
    return tarOf(dir, file(`${name}.tar`));
  }

  test('an arm64 image: a warning at import, one line at run', async () => {
    const r = kit(['image', 'import', await saveWith('armimg', { architecture: 'arm64', variant: 'v8', os: 'linux', config: { Cmd: ['/busybox', 'true'] } })], kr.env);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^kit: warning: image 'armimg' is for linux\/arm64\/v8; this host is linux\/amd64/);
    const run = kit(['run', 'armimg'], kr.env);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/^kit: image 'armimg' is for linux\/arm64\/v8 and this host is linux\/amd64; .*binfmt_misc.*qemu/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('a string Entrypoint is one word, a null Cmd is unset; a string Env is refused by name', async () => {
    await saveWith('strentry', { config: { Entrypoint: '/busybox', Cmd: null, Env: ['PATH=/'] } });
    const image = kitJson<ImageJson>(['image', 'import', file('strentry.tar')], kr.env);
    expect(image.config.Entrypoint).toEqual(['/busybox']);
    expect(image.config.Cmd).toBeUndefined();
    expect(kit(['run', 'strentry', 'echo', 'one', 'word'], kr.env).stdout).toBe('one word\n');
    const bad = kit(['image', 'import', await saveWith('strenv', { config: { Env: 'A=1' } })], kr.env);
    expect(bad.stderr).toMatch(/^kit: the image archive is corrupt: config config\.json: config\.Env: Expected array, received string/);
  });

  test('an Env entry without = fails at run as runc fails it', async () => {
    kitJson(['image', 'import', await saveWith('badenv', { config: { Env: ['PATH=/', 'NOEQUALS'], Cmd: ['/busybox', 'true'] } })], kr.env);
    const r = kit(['run', 'badenv'], kr.env);
    expect(r.stderr).toMatch(/^kit: image 'badenv' has an invalid environment variable "NOEQUALS": missing '='/);
  });
});

describe('kit image rm of an image a container uses', () => {
  // Each test has a kit data dir of its own: the image's layers are its alone, and must go once nothing uses them.
  const own = (sub: string) => {
    const env = { ...kr.env, KIT_ROOT: join(kr.root, sub) };
    const image = kitJson<{ name: string; layers: string[] }>(['image', 'import', file('layered.tar'), '--name', sub], env);
    return { env, layers: image.layers.map((l) => join(kr.root, sub, 'data', 'layers', l.slice(7))) };
  };

  test("a kept container: refused with Docker's conflict message and exit code 1; -f untags; the container still starts and commits, and its layers go with it", () => {
    const { env, layers } = own('layered-kept');
    expect(kit(['run', '--name', 'user-of-layered', 'layered-kept'], env).status).toBe(0);
    const r = kit(['image', 'rm', 'layered-kept'], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^kit: conflict: unable to remove repository reference "layered-kept" \(must force\) - container [0-9a-f]{12} \(user-of-layered\) is using its referenced image; remove the container first with `kit rm -f user-of-layered`, or untag the image with `kit image rm -f layered-kept`/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(env.KIT_ROOT!, 'data', 'images', 'layered-kept.json'))).toBe(true);
    const forced = kitJson<{ usedBy: string[] }>(['image', 'rm', '-f', 'layered-kept'], env);
    expect(forced.usedBy).toEqual(['user-of-layered']);
    expect(existsSync(join(env.KIT_ROOT!, 'data', 'images', 'layered-kept.json'))).toBe(false);
    // Its layers stay while the container needs them: it diffs, starts again and commits, as in Docker.
    for (const l of layers) expect(existsSync(l)).toBe(true);
    expect(kit(['diff', 'user-of-layered'], env).status).toBe(0);
    // A new image under the old name changes nothing of the container: it was made from the old layers.
    kitJson(['image', 'import', file('scratch-docker.tar'), '--name', 'layered-kept'], env);
    expect(kit(['start', 'user-of-layered'], env).status).toBe(0);
    expect(kit(['wait', 'user-of-layered'], env).stdout).toBe('0\n');
    expect(kit(['logs', 'user-of-layered'], env).stdout).toMatch(/^(keep\nnew\n)+$/);
    const committed = kitJson<{ layers: string[]; config: { Cmd?: string[] } }>(['commit', 'user-of-layered', 'from-untagged'], env);
    expect(committed.config.Cmd).toEqual(['/busybox', 'ls', '/data']);
    expect(kit(['image', 'rm', 'from-untagged'], env).status).toBe(0);
    expect(kit(['image', 'rm', 'layered-kept'], env).status).toBe(0);
    expect(kit(['rm', 'user-of-layered'], env).status).toBe(0);
    for (const l of layers) expect(existsSync(l)).toBe(false);
  });

  test('a running container: refused the same way; -f untags while it runs on, unharmed', async () => {
    const { env, layers } = own('layered-running');
    expect(kit(['run', '-d', '--name', 'runs-layered', 'layered-running', '/busybox', 'sleep', '300'], env).status).toBe(0);
    try {
      const r = kit(['image', 'rm', 'layered-running'], env);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^kit: conflict: unable to remove repository reference "layered-running" \(must force\) - container [0-9a-f]{12} \(runs-layered\) is using its referenced image/);
      expect(kit(['image', 'rm', '-f', 'layered-running'], env).status).toBe(0);
      expect(kit(['exec', 'runs-layered', '/busybox', 'cat', '/data/keep'], env).stdout).toBe('kept\n');
    } finally {
      expect(kit(['rm', '-f', 'runs-layered'], env).status).toBe(0);
    }
    for (const l of layers) expect(existsSync(l)).toBe(false);
  });
});
