import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { withHostChanges } from '../../core/engine/session';
import { ImageStore } from '../../core/image/store';
import type { KitPaths } from '../../core/paths';
import type { HostContext } from '../../core/plan';
import { newContainerId, runContainer } from '../../core/engine/run';
import { defaultSpec } from '../../core/spec';
import { containerRoot } from '../../core/storage/container-root';
import { containerLayerDir, createContainerLayer, removeContainerLayer } from '../../core/storage/containers';
import { overlay2 } from '../../core/storage/overlay2';
import { vfs } from '../../core/storage/vfs';
import type { StorageDriver } from '../../core/storage/driver';
import { makeWhiteout, markOpaque } from '../../core/storage/whiteout';
import { TraceRecorder } from '../../core/trace/recorder';
import { busyboxLayer, imageOf } from '../support/store-images';
import { hostSnapshot, kit, kitJson, requireRoot, tempKitRoot } from '../support/kit';

requireRoot();
const kr = tempKitRoot();
const paths: KitPaths = { data: join(kr.root, 'data'), state: join(kr.root, 'run') };
const store = new ImageStore(paths);
const before = hostSnapshot(kr.root);
const trace = new TraceRecorder();

afterAll(() => {
  expect(hostSnapshot(kr.root)).toEqual(before); // no overlay mount, no state dir left
  kr.cleanup();
});

/** Mount (or copy) a kept container of `image` and hand its rootfs to `work`; unmounted after. */
async function withContainer<T>(image: string, driver: StorageDriver, work: (rootfs: string, ctx: HostContext) => T | Promise<T>): Promise<T> {
  return withHostChanges('test', (ctx) => work(createContainerLayer(ctx, store, store.get(image), driver, true), ctx), { paths });
}

/** Every path under a root with its type and file content: what a process inside sees. */
function listing(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = `${rel}/${name}`;
      const s = lstatSync(join(root, path));
      const what = s.isDirectory() ? 'dir' : s.isSymbolicLink() ? `-> ${readlinkSync(join(root, path))}` : readFileSync(join(root, path), 'utf8');
      out.push(`${path} ${what}`);
      if (s.isDirectory()) walk(path);
    }
  };
  walk('');
  return out;
}

function overlayMounts(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(kr.root) && l.includes(' - overlay '));
}

beforeAll(async () => {
  await imageOf(paths, 'bb', [busyboxLayer]);
  // Two layers with both kinds of overlay whiteout: /etc/old deleted, /opt made opaque.
  await imageOf(paths, 'wh', [
    (d) => {
      mkdirSync(join(d, 'etc'));
      writeFileSync(join(d, 'etc', 'keep'), 'keep\n');
      writeFileSync(join(d, 'etc', 'old'), 'old\n');
      mkdirSync(join(d, 'opt'));
      writeFileSync(join(d, 'opt', 'hidden'), 'hidden\n');
    },
    (d) => {
      mkdirSync(join(d, 'etc'));
      makeWhiteout(trace, join(d, 'etc', 'old'), 'test');
      mkdirSync(join(d, 'opt'));
      markOpaque(trace, join(d, 'opt'), 'test');
      writeFileSync(join(d, 'opt', 'new'), 'new\n');
      symlinkSync('etc/keep', join(d, 'link'));
    },
  ]);
});

test('overlay2: a write inside is copied up into the upper dir; the image layer is unchanged; a delete leaves a 0/0 whiteout', async () => {
  const image = store.get('bb');
  const motd = join(store.layerDir(image.layers[0]), 'etc', 'motd');
  const id = newContainerId();
  const rootfs = overlay2.rootfsDir(containerLayerDir(paths, id));
  let mount = '';
  const spec = { ...defaultSpec(['/bin/sh', '-c', 'echo changed > /etc/motd && rm /bin/ls && echo hi > /added && cat /etc/motd']), image: 'bb', storageDriver: 'overlay2', keepLayer: true };
  const run = await runContainer(spec, { paths, id, beforeRelease: async () => void (mount = overlayMounts().find((l) => l.split(' ')[4] === rootfs) as string) });
  expect(run).toMatchObject({ exitCode: 0, stdout: 'changed\n' });
  // lowerdir names the layer dirs themselves, topmost first
  expect(mount).toContain(`lowerdir=${[...image.layers].reverse().map((l) => store.layerDir(l)).join(':')}`);
  expect(run.trace.some((e) => e.side === 'container' && e.syscall === 'pivot_root')).toBe(true);
  expect(overlayMounts().some((l) => l.split(' ')[4] === rootfs)).toBe(false); // unmounted when it ended; the layer is kept
  const upper = join(containerLayerDir(paths, id), 'diff');
  expect(readFileSync(join(upper, 'etc', 'motd'), 'utf8')).toBe('changed\n');
  expect(readFileSync(motd, 'utf8')).toBe('motd from layer 1\n');
  const whiteout = lstatSync(join(upper, 'bin', 'ls'));
  expect(whiteout.isCharacterDevice() && whiteout.rdev === 0).toBe(true);
  expect(existsSync(join(store.layerDir(image.layers[0]), 'bin', 'ls'))).toBe(true);

  // kit diff: A/C/D as docker diff prints them
  const diff = kit(['diff', id.slice(0, 6)], kr.env);
  expect(diff.stdout.split('\n')).toEqual(expect.arrayContaining(['A /added', 'C /etc/motd', 'D /bin/ls']));

  // kit commit: the new image's merged view has the change, and the whiteout hides ls
  const committed = kitJson<{ layers: string[] }>(['commit', id, 'bb2'], kr.env);
  expect(committed.layers).toEqual([...image.layers, expect.stringMatching(/^sha256:/)]);
  await withContainer('bb2', overlay2, (rootfs) => {
    expect(readFileSync(join(rootfs, 'etc', 'motd'), 'utf8')).toBe('changed\n');
    expect(existsSync(join(rootfs, 'bin', 'ls'))).toBe(false);
    expect(existsSync(join(rootfs, 'bin', 'cat'))).toBe(true);
  });
});

test('vfs and overlay2 show the same merged view of layers with whiteouts and opaque dirs', async () => {
  const viaOverlay = await withContainer('wh', overlay2, listing);
  const viaVfs = await withContainer('wh', vfs, listing);
  expect(viaVfs).toEqual(viaOverlay);
  expect(viaVfs).toEqual(['/etc dir', '/etc/keep keep\n', '/link -> etc/keep', '/opt dir', '/opt/new new\n']);
});

test('vfs: diff and commit of a full copy find the same changes', async () => {
  const id = await withContainer('wh', vfs, (rootfs, ctx) => {
    expect(overlayMounts().some((l) => l.includes(ctx.id))).toBe(false); // a plain directory: nothing mounted
    writeFileSync(join(rootfs, 'etc', 'keep'), 'kept?\n');
    writeFileSync(join(rootfs, 'etc', 'fresh'), 'fresh\n');
    writeFileSync(join(rootfs, 'opt', 'new'), 'newer\n');
    rmSync(join(rootfs, 'link'));
    return ctx.id;
  });
  const diff = kitJson<Array<{ kind: string; path: string }>>(['diff', id], kr.env);
  expect(diff).toEqual(expect.arrayContaining([{ kind: 'C', path: '/etc/keep' }, { kind: 'A', path: '/etc/fresh' }, { kind: 'D', path: '/link' }, { kind: 'C', path: '/opt/new' }]));
  expect(diff).toHaveLength(5); // and nothing else (/etc changed: a file was added to it)
  kitJson(['commit', id, 'wh2'], kr.env);
  expect(await withContainer('wh2', overlay2, listing)).toEqual(['/etc dir', '/etc/fresh fresh\n', '/etc/keep kept?\n', '/opt dir', '/opt/new newer\n']);
});

test('overlay2 copies nothing when a container is made; vfs copies the whole image', async () => {
  await imageOf(paths, 'big', [(d) => writeFileSync(join(d, 'blob'), Buffer.alloc(20 << 20, 1))]);
  const used = (dir: string) => Number(execFileSync('du', ['-sb', '-x', dir], { encoding: 'utf8' }).split('\t')[0]);
  const overlayUse = await withHostChanges('size', (ctx) => {
    createContainerLayer(ctx, store, store.get('big'), overlay2, false);
    return used(containerLayerDir(paths, ctx.id)); // -x: the merged mount is not counted
  }, { paths });
  const vfsUse = await withHostChanges('size', (ctx) => {
    createContainerLayer(ctx, store, store.get('big'), vfs, false);
    return used(containerLayerDir(paths, ctx.id));
  }, { paths });
  expect(overlayUse).toBeLessThan(1 << 20);
  expect(vfsUse).toBeGreaterThan(20 << 20);
});

test('kill -9 while a container layer is mounted: the next kit unmounts it from the journal', async () => {
  const script = `
    const core = (f) => require(${JSON.stringify(join(__dirname, '..', '..', 'dist', 'core'))} + '/' + f);
    const { ImageStore } = core('image/store');
    const paths = ${JSON.stringify(paths)};
    const store = new ImageStore(paths);
    core('engine/session').withHostChanges('victim', (ctx) => {
      console.log(core('storage/containers').createContainerLayer(ctx, store, store.get('wh'), core('storage/overlay2').overlay2, false));
      return new Promise(() => setInterval(() => undefined, 1000));
    }, { paths });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const merged = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
  expect(overlayMounts().some((l) => l.split(' ')[4] === merged)).toBe(true);
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  expect(overlayMounts().some((l) => l.split(' ')[4] === merged)).toBe(true); // nobody cleaned up yet
  await withHostChanges('next', () => undefined, { paths }); // any later kit replays dead owners' journals
  expect(overlayMounts().some((l) => l.split(' ')[4] === merged)).toBe(false);
  expect(existsSync(merged)).toBe(false); // the throwaway container layer is gone too
});

test('containerRoot (for kit run): the planned rootfs is where the step mounts it; removal refuses while mounted', async () => {
  expect(() => containerRoot(paths, 'x', 'wh', 'fuse-overlayfs', true)).toThrow("unknown storage driver 'fuse-overlayfs'");
  expect(() => containerRoot(paths, 'x', 'nope', undefined, true)).toThrow("no image 'nope'");
  const id = await withHostChanges('root', async (ctx) => {
    const root = containerRoot(paths, ctx.id, 'wh', 'overlay2', true);
    await root.step.run(ctx);
    expect(overlayMounts().some((l) => l.split(' ')[4] === root.rootfs)).toBe(true);
    expect(readFileSync(join(root.rootfs, 'opt', 'new'), 'utf8')).toBe('new\n');
    expect(() => removeContainerLayer(paths, ctx.id)).toThrow(/still mounted/);
    return ctx.id;
  }, { paths });
  expect(existsSync(containerLayerDir(paths, id))).toBe(true); // kept after the container ended
  removeContainerLayer(paths, id);
  expect(existsSync(containerLayerDir(paths, id))).toBe(false);
  expect(kit(['diff', id], kr.env).stderr).toMatch(new RegExp(`^kit: no container '${id}' with a layer; containers with a layer: `));
});

test('vfs: a copy of busybox (hundreds of symlinks) differs from its image only where the container wrote', async () => {
  const id = await withContainer('bb', vfs, (rootfs, ctx) => {
    writeFileSync(join(rootfs, 'etc', 'motd'), 'vfs was here\n');
    return ctx.id;
  });
  expect(kitJson(['diff', id], kr.env)).toEqual([{ kind: 'C', path: '/etc/motd' }]);
});

test('two containers of one image share the same layer dirs (the same lowerdir), each with its own upper', async () => {
  const options = await withContainer('wh', overlay2, (first) =>
    withContainer('wh', overlay2, (second) => {
      const opts = (target: string) => (overlayMounts().find((l) => l.split(' ')[4] === target) as string).split(' - overlay ')[1];
      return [opts(first), opts(second)];
    }),
  );
  const lower = (o: string) => /lowerdir=([^,]+)/.exec(o)?.[1];
  const upper = (o: string) => /upperdir=([^,]+)/.exec(o)?.[1];
  expect(lower(options[0])).toBe(lower(options[1]));
  expect(lower(options[0])).toContain(join(paths.data, 'layers'));
  expect(upper(options[0])).not.toBe(upper(options[1]));
});

test('overlay2: a layer removed with its container is mounted volatile (no sync at unmount), a kept one is not', async () => {
  const mounted = (keep: boolean) =>
    withHostChanges('vol', (ctx) => {
      const rootfs = createContainerLayer(ctx, store, store.get('bb'), overlay2, keep);
      writeFileSync(join(rootfs, 'written'), 'x\n');
      return (overlayMounts().find((l) => l.split(' ')[4] === rootfs) as string).split(' - overlay ')[1];
    }, { paths });
  const removed = await mounted(false);
  const kept = await mounted(true);
  // the kernel shows it as "volatile" (5.10-6.x) or "fsync=volatile" (6.11 on)
  expect(removed).toMatch(/[,=]volatile(,|$)/);
  expect(kept).not.toMatch(/volatile/);
  for (const id of readdirSync(join(paths.data, 'containers')).filter((d) => !d.startsWith('.'))) {
    if (existsSync(join(containerLayerDir(paths, id), 'diff', 'written'))) removeContainerLayer(paths, id);
  }
});

test.each([
  [60, 'short links', /\/l\/[0-9A-F]{26}:/],
  [128, 'relative paths from a chdir', /^"lowerdir=l\/[0-9A-F]{26}:/],
])('%i layers: options longer than a page are made to fit with %s, as Docker does', async (count, _how, pattern) => {
  const layers = Array.from({ length: count }, (_, i) => (d: string) => writeFileSync(join(d, `f${i}`), `${i}\n`));
  await imageOf(paths, `deep${count}`, layers);
  const events: string[] = [];
  await withHostChanges(
    'deep',
    (ctx) => {
      const rootfs = createContainerLayer(ctx, store, store.get(`deep${count}`), overlay2, false);
      expect(readFileSync(join(rootfs, 'f0'), 'utf8')).toBe('0\n');
      expect(readFileSync(join(rootfs, `f${count - 1}`), 'utf8')).toBe(`${count - 1}\n`);
      expect(readdirSync(rootfs)).toHaveLength(count);
    },
    { paths, onEvent: (e) => events.push(`${e.syscall} ${e.args.join(' ')}`) },
  );
  const mount = events.find((e) => e.startsWith('mount ')) as string;
  expect(mount.split(' ')[5]).toMatch(pattern);
  expect(Buffer.byteLength(mount.split(' ')[5])).toBeLessThan(4096 + 2);
  if (count === 128) expect(events).toContain(`chdir "${paths.data}"`);
});

test('kit build: the seed example (FROM, COPY . /app, RUN, CMD) makes one layer per file-changing step; history shows all four', () => {
  const ctx = join(kr.root, 'ctx');
  mkdirSync(ctx);
  writeFileSync(join(ctx, 'app.sh'), 'echo hello from app\n');
  writeFileSync(join(ctx, 'Kitfile'), 'FROM bb\nCOPY . /app\nRUN mkdir /app/build && cp /app/app.sh /app/build/app.sh\nCMD sh /app/build/app.sh\n');
  const keptBefore = readdirSync(join(paths.data, 'containers'));
  const build = kit(['build', '--trace', '-t', 'app', '-f', join(ctx, 'Kitfile'), ctx], kr.env);
  expect(build.status).toBe(0);
  // the RUN step's container: the image so far as its root by pivot_root, as kit run does; no chroot(8)
  expect(build.stderr).toMatch(/pivot_root\("\.", "\.oldroot"\)/);
  expect(build.stderr).not.toMatch(/chroot/);
  expect(build.stdout).toContain('Step 4/4 : CMD sh /app/build/app.sh');
  const history = kitJson<Array<{ layer: string | null; createdBy: string }>>(['image', 'history', 'app'], kr.env);
  expect(history.map((h) => h.createdBy)).toEqual(['CMD sh /app/build/app.sh', 'RUN mkdir /app/build && cp /app/app.sh /app/build/app.sh', 'COPY . /app', 'test layer 1']);
  expect(history.map((h) => h.layer === null)).toEqual([true, false, false, false]);
  const image = store.get('app');
  expect(image.config.Cmd).toEqual(['/bin/sh', '-c', 'sh /app/build/app.sh']);
  const runLayer = store.layerDir(image.layers[2]);
  expect(readFileSync(join(runLayer, 'app', 'build', 'app.sh'), 'utf8')).toBe('echo hello from app\n');
  expect(existsSync(join(runLayer, 'bin'))).toBe(false); // only what RUN changed
  expect(store.list().map((i) => i.name)).not.toContain(expect.stringMatching(/^kit-build-/)); // the step's image is gone
  expect(readdirSync(join(paths.data, 'containers'))).toEqual(keptBefore); // and so is its container layer
});

describe('bad input: one clear line, non-zero exit, nothing half-built left', () => {
  const layerCount = () => readdirSync(join(paths.data, 'layers')).length;
  const attempt = (kitfile: string, extra: string[] = []) => {
    const ctx = join(kr.root, `bad-${Math.random().toString(36).slice(2)}`);
    mkdirSync(ctx);
    writeFileSync(join(ctx, 'Kitfile'), kitfile);
    writeFileSync(join(ctx, 'a.txt'), 'a\n');
    symlinkSync('/etc/hostname', join(ctx, 'escape'));
    const layers = layerCount();
    const r = kit(['build', '-t', 'bad', ...extra, ctx], kr.env);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(layerCount()).toBe(layers);
    expect(store.has('bad')).toBe(false);
    return r.stderr;
  };

  test('unknown driver', () => expect(attempt('FROM bb\nRUN true\n', ['--storage-driver', 'fuse-overlayfs'])).toMatch(/unknown storage driver 'fuse-overlayfs'; use one of .*overlay2.*vfs/));
  test('a driver this kernel lacks', () => expect(attempt('FROM bb\nRUN true\n', ['--storage-driver', 'aufs'])).toMatch(/storage driver 'aufs' cannot be used here: .*grep aufs \/proc\/filesystems/));
  test('unknown instruction', () => expect(attempt('FROM bb\nCOPY a.txt /a\nHEALTHCHECK CMD true\n')).toMatch(/Kitfile line 3: unknown instruction 'HEALTHCHECK'/));
  test('a failing RUN: its line, its exit code, the COPY layer before it removed', () =>
    expect(attempt('FROM bb\nCOPY a.txt /a-unique.txt\nRUN echo oops >&2; exit 3\n')).toMatch(/Kitfile line 3: RUN echo oops >&2; exit 3 exited with code 3; oops/));
  test('COPY of a path outside the context', () => expect(attempt('FROM bb\nCOPY ../ctx /p\n')).toMatch(/line 2: COPY \.\.\/ctx: \/tmp\/kit-test-\w+\/ctx is outside the build context/));
  test('COPY through a symlink that leaves the context', () => expect(attempt('FROM bb\nCOPY escape /e\n')).toMatch(/line 2: COPY escape: \/etc\/hostname is outside the build context/));
});

test('kit info: the driver and why, backing filesystem, cgroup version, union filesystems the kernel lists', () => {
  const info = kitJson<{ storageDriver: string; storageReason: string; drivers: Array<{ name: string; usable: boolean; problem: string | null }>; backingFilesystem: string; cgroupVersion: string; unionFilesystems: { overlay: boolean; aufs: boolean } }>(['info'], kr.env);
  const filesystems = readFileSync('/proc/filesystems', 'utf8');
  expect(info.unionFilesystems).toEqual({ overlay: /\toverlay$/m.test(filesystems), aufs: /\taufs$/m.test(filesystems) });
  expect(info.storageDriver).toBe(info.unionFilesystems.overlay ? 'overlay2' : info.unionFilesystems.aufs ? 'aufs' : 'vfs');
  expect(info.drivers.find((d) => d.name === 'aufs')?.usable).toBe(info.unionFilesystems.aufs);
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8');
  expect(mounts).toContain(` - ${info.backingFilesystem} `);
  expect(info.cgroupVersion.startsWith(/ \/sys\/fs\/cgroup .* - cgroup2 /.test(mounts) ? '2' : '1')).toBe(true);
  if (/ \/sys\/fs\/cgroup\/unified .* - cgroup2 /.test(mounts)) {
    // hybrid: the controllers the kernel lists there, not an assumed "none"
    const controllers = readFileSync('/sys/fs/cgroup/unified/cgroup.controllers', 'utf8').trim();
    expect(info.cgroupVersion).toBe(`1 (hybrid: cgroup2 also mounted at /sys/fs/cgroup/unified, its controllers: ${controllers || 'none'})`);
  }
  expect(kit(['info'], kr.env).stdout).toMatch(/^Storage Driver: \w+\n {2}Why: /);
});

test('devicemapper where the kernel has no dm-thin-pool (this project\'s hosts): kit info and kit run say so in one line, nothing made', () => {
  const thin = existsSync('/sys/module/dm_thin_pool') || spawnSync('modprobe', ['--dry-run', 'dm-thin-pool']).status === 0;
  const info = kitJson<{ drivers: Array<{ name: string; usable: boolean; problem: string | null }>; devicemapperPool: unknown }>(['info'], kr.env);
  const dm = info.drivers.find((d) => d.name === 'devicemapper')!;
  expect(dm.usable).toBe(thin); // where it is usable, test/guest runs it for real
  if (thin) return;
  expect(dm.problem).toMatch(/^this kernel has no (device-mapper|dm-thin-pool)/);
  expect(info.devicemapperPool).toBeNull();
  const r = kit(['run', '--storage-driver', 'devicemapper', '--network', 'none', 'base', 'true'], kr.env);
  expect(r.status).toBe(125); // docker run's own failure, before the container
  const error = r.stderr.trim().split('\n').filter((l) => l.includes('devicemapper')); // after the base image's build lines
  expect(error).toHaveLength(1);
  expect(error[0]).toMatch(/^kit: storage driver 'devicemapper' cannot be used here: this kernel has no (device-mapper|dm-thin-pool) .*modprobe dm-thin-pool/);
  expect(existsSync(join(kr.root, 'data', 'devicemapper'))).toBe(false);
});
