import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { dockerSaveTar, makeTree, ociLayoutTar, tarOf, treeListing } from '../support/images';
import { cleanKitRoot, kit, kitBackground, kitJson } from '../support/kit';

interface ImageJson {
  name: string;
  layers: string[];
  config: { Cmd?: string[]; Entrypoint?: string[]; Env?: string[]; WorkingDir?: string };
  history: Array<{ createdBy: string }>;
  layerDirs: string[];
  format?: string;
}

const kr = cleanKitRoot(); // root: layers keep owners, device nodes and trusted.* xattrs

let seq = 0;
const scratch = (name: string) => {
  const dir = join(kr.root, 'src', `${++seq}-${name}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

/** A small root filesystem with a real binary (busybox), a symlink, a hard link and a setuid file. */
function busyboxRootfs(): string {
  const dir = scratch('rootfs');
  makeTree(dir, { 'bin/busybox': readFileSync('/bin/busybox'), 'etc/hostname': 'kit-test\n', 'etc/motd': 'hello from a tarball\n' });
  chmodSync(join(dir, 'bin/busybox'), 0o4755);
  symlinkSync('busybox', join(dir, 'bin/sh'));
  execFileSync('ln', [join(dir, 'etc/motd'), join(dir, 'etc/motd.hard')]);
  execFileSync('chown', ['1234:5678', join(dir, 'etc/hostname')]);
  utimesSync(join(dir, 'etc/hostname'), 978307200, 978307200);
  utimesSync(join(dir, 'etc'), 978307200, 978307200);
  return dir;
}

const storedLayers = () => (existsSync(join(kr.root, 'data', 'layers')) ? readdirSync(join(kr.root, 'data', 'layers')).sort() : []);
const inspect = (name: string) => kitJson<ImageJson>(['image', 'inspect', name], kr.env);

test('a plain rootfs tar (docker export) imports into one layer with modes, owners, mtimes, links kept', () => {
  const src = busyboxRootfs();
  const file = tarOf(src, join(kr.root, 'export.tar'));
  const r = kitJson<ImageJson>(['image', 'import', file, '--name', 'plain'], kr.env);
  expect(r.format).toBe('rootfs');
  const image = inspect('plain');
  expect(image.layers).toEqual([`sha256:${execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0]}`]);
  const layer = image.layerDirs[0];
  expect(treeListing(layer)).toEqual(treeListing(src));
  expect(lstatSync(join(layer, 'bin/busybox')).mode & 0o7777).toBe(0o4755);
  expect(lstatSync(join(layer, 'etc/hostname'))).toMatchObject({ uid: 1234, gid: 5678 });
  expect(lstatSync(join(layer, 'etc/hostname')).mtimeMs).toBe(978307200000);
  expect(lstatSync(join(layer, 'etc')).mtimeMs).toBe(978307200000);
  expect(lstatSync(join(layer, 'etc/motd.hard')).ino).toBe(lstatSync(join(layer, 'etc/motd')).ino);
  expect(execFileSync(join(layer, 'bin/busybox'), ['echo', 'runs'], { encoding: 'utf8' })).toBe('runs\n');
});

test('a gzipped rootfs tar is recognised by its content, not its name', () => {
  const src = busyboxRootfs();
  const file = join(kr.root, 'export-gz.tar');
  tarOf(src, file, { gzip: true });
  const r = kitJson<ImageJson>(['image', 'import', file, '--name', 'plain-gz'], kr.env);
  const image = inspect('plain-gz');
  expect(image.layers).toEqual([`sha256:${execFileSync('sh', ['-c', `zcat ${file} | sha256sum`], { encoding: 'utf8' }).split(' ')[0]}`]);
  expect(r.format).toBe('rootfs');
  expect(treeListing(image.layerDirs[0])).toEqual(treeListing(src));
});

const config = { Cmd: ['sh', '-c', 'cat /etc/motd'], Entrypoint: ['/bin/busybox'], Env: ['PATH=/bin', 'GREETING=hi'], WorkingDir: '/srv' };

function twoLayers(): [string, string] {
  const base = busyboxRootfs();
  const app = makeTree(scratch('app'), { 'srv/app.sh': 'echo app\n', 'etc/motd': 'replaced by layer 2\n' });
  return [base, app];
}

test('docker save: layers in order, config (Cmd, Entrypoint, Env, WorkingDir) and history kept', () => {
  const [base, app] = twoLayers();
  const file = dockerSaveTar(join(kr.root, 'save.tar'), [base, app], config, ['ADD rootfs /', 'COPY app.sh /srv/']);
  expect(kitJson<ImageJson>(['image', 'import', file, '--name', 'saved'], kr.env).format).toBe('docker-save');
  const image = inspect('saved');
  expect(image.layers).toHaveLength(2);
  expect(image.config).toEqual(config);
  expect(image.history.map((h) => h.createdBy)).toEqual(['ADD rootfs /', 'COPY app.sh /srv/']);
  expect(treeListing(image.layerDirs[0])).toEqual(treeListing(base));
  expect(treeListing(image.layerDirs[1])).toEqual(treeListing(app));
});

test.each([false, true])('OCI image layout (gzip layers: %s): files, config and history', (gzip) => {
  const [base, app] = twoLayers();
  const name = gzip ? 'oci-gz' : 'oci-plain';
  const file = ociLayoutTar(join(kr.root, `${name}.tar`), [base, app], config, ['ADD rootfs /', 'COPY app.sh /srv/'], { gzip });
  expect(kitJson<ImageJson>(['image', 'import', file, '--name', name], kr.env).format).toBe('oci-layout');
  const image = inspect(name);
  expect(image.config).toEqual(config);
  expect(image.history.map((h) => h.createdBy)).toEqual(['ADD rootfs /', 'COPY app.sh /srv/']);
  expect(treeListing(image.layerDirs[1])).toEqual(treeListing(app));
  expect(readFileSync(join(image.layerDirs[0], 'etc/motd'), 'utf8')).toBe('hello from a tarball\n');
});

test('an OCI tarball that is itself gzipped imports too', () => {
  const [base] = twoLayers();
  const file = ociLayoutTar(join(kr.root, 'outer.tar'), [base], config, ['ADD rootfs /']);
  writeFileSync(`${file}.gz`, gzipSync(readFileSync(file)));
  expect(kitJson<ImageJson>(['image', 'import', `${file}.gz`, '--name', 'oci-outer-gz'], kr.env).format).toBe('oci-layout');
  expect(readFileSync(join(inspect('oci-outer-gz').layerDirs[0], 'etc/hostname'), 'utf8')).toBe('kit-test\n');
});

test('names over 100 bytes, long symlink targets and big uids survive GNU and PAX tars', () => {
  const long = `${'d'.repeat(90)}/${'e'.repeat(90)}/${'f'.repeat(120)}`;
  for (const format of ['gnu', 'pax'] as const) {
    const src = makeTree(scratch(`long-${format}`), { [long]: `${format} content\n` });
    symlinkSync(`${'t'.repeat(150)}/target`, join(src, 'longlink'));
    execFileSync('ln', [join(src, long), join(src, `hard-${'h'.repeat(110)}`)]);
    if (format === 'pax') execFileSync('chown', ['3000000:3000001', join(src, long)]);
    const file = tarOf(src, join(kr.root, `long-${format}.tar`), { format });
    kitJson(['image', 'import', file, '--name', `long-${format}`], kr.env);
    const layer = inspect(`long-${format}`).layerDirs[0];
    expect(treeListing(layer)).toEqual(treeListing(src));
    expect(readFileSync(join(layer, long), 'utf8')).toBe(`${format} content\n`);
    const out = join(kr.root, `long-${format}-out.tar`);
    kitJson(['image', 'export', `long-${format}`, '-o', out], kr.env);
    const listed = execFileSync('tar', ['-tf', out], { encoding: 'utf8' }).split('\n');
    expect(listed).toContain(long);
    expect(listed).toContain(`hard-${'h'.repeat(110)}`);
  }
  expect(lstatSync(join(inspect('long-pax').layerDirs[0], long))).toMatchObject({ uid: 3000000, gid: 3000001 });
});

test('two images share the layers they have in common; rm deletes a layer only when no image uses it', () => {
  const [base, app] = twoLayers();
  const other = makeTree(scratch('other'), { 'srv/other.sh': 'echo other\n' });
  const a = dockerSaveTar(join(kr.root, 'share-a.tar'), [base, app], {}, ['a1', 'a2']);
  const b = dockerSaveTar(join(kr.root, 'share-b.tar'), [base, other], {}, ['b1', 'b2']);
  kitJson(['image', 'import', a, '--name', 'share-a'], kr.env);
  kitJson(['image', 'import', b, '--name', 'share-b'], kr.env);
  const [ia, ib] = [inspect('share-a'), inspect('share-b')];
  expect(ia.layerDirs[0]).toBe(ib.layerDirs[0]);
  expect(ia.layerDirs[1]).not.toBe(ib.layerDirs[1]);
  kitJson(['image', 'rm', 'share-a'], kr.env);
  expect(existsSync(ia.layerDirs[0])).toBe(true);
  expect(existsSync(ia.layerDirs[1])).toBe(false);
  expect(readFileSync(join(ib.layerDirs[0], 'etc/motd'), 'utf8')).toBe('hello from a tarball\n');
});

test('export writes a flattened rootfs tar that tar -t lists and kit imports back identically', () => {
  const [base, app] = twoLayers();
  const file = dockerSaveTar(join(kr.root, 'flat.tar'), [base, app], config, ['l1', 'l2']);
  kitJson(['image', 'import', file, '--name', 'flat'], kr.env);
  const out = join(kr.root, 'flat-export.tar');
  const r = kit(['image', 'export', 'flat', '-o', out], kr.env);
  expect(r.status).toBe(0);
  const listed = execFileSync('tar', ['-tf', out], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
  expect(listed).toEqual(['bin/', 'bin/busybox', 'bin/sh', 'etc/', 'etc/hostname', 'etc/motd', 'etc/motd.hard', 'srv/', 'srv/app.sh']);
  // busybox's tar (what a minimal system has) reads it too.
  expect(execFileSync('/bin/busybox', ['tar', '-tf', out], { encoding: 'utf8' }).split('\n').filter(Boolean).sort()).toEqual(listed);
  // The upper layer's etc/motd wins, as it does in a container.
  expect(execFileSync('tar', ['-xOf', out, 'etc/motd'], { encoding: 'utf8' })).toBe('replaced by layer 2\n');
  kitJson(['image', 'import', out, '--name', 'flat-again'], kr.env);
  const unpacked = scratch('flat-unpacked');
  execFileSync('tar', ['-xf', out, '-C', unpacked]);
  expect(treeListing(inspect('flat-again').layerDirs[0])).toEqual(treeListing(unpacked));
});

test('export --format docker-save round-trips layers, config and history through import', () => {
  const [base, app] = twoLayers();
  const file = ociLayoutTar(join(kr.root, 'rt.tar'), [base, app], config, ['l1', 'l2'], { gzip: true });
  kitJson(['image', 'import', file, '--name', 'rt'], kr.env);
  const out = join(kr.root, 'rt-save.tar');
  kitJson(['image', 'export', 'rt', '-o', out, '--format', 'docker-save'], kr.env);
  expect(execFileSync('tar', ['-tf', out], { encoding: 'utf8' })).toContain('manifest.json');
  kitJson(['image', 'import', out, '--name', 'rt-again'], kr.env);
  const [first, again] = [inspect('rt'), inspect('rt-again')];
  expect(again.config).toEqual(first.config);
  expect(again.history).toEqual(first.history);
  expect(again.layerDirs.map(treeListing)).toEqual(first.layerDirs.map(treeListing));
  // Exporting the re-imported image gives the same layer digests: packing is deterministic.
  const out2 = join(kr.root, 'rt-save2.tar');
  kitJson(['image', 'export', 'rt-again', '-o', out2, '--format', 'docker-save'], kr.env);
  kitJson(['image', 'import', out2, '--name', 'rt-third'], kr.env);
  expect(inspect('rt-third').layers).toEqual(again.layers);
});

test('a large file shows a progress bar on stderr', () => {
  const src = makeTree(scratch('big'), { 'big.bin': Buffer.alloc(12 << 20, 7) });
  const file = tarOf(src, join(kr.root, 'big.tar'));
  const r = kit(['image', 'import', file, '--name', 'big'], kr.env);
  expect(r.status).toBe(0);
  expect(r.stderr).toMatch(/reading big\.tar \[#+\] 100% 12\.0\/12\.0 MB/);
  expect(r.stderr).toMatch(/reading big\.tar \[#+ +\]\s+(2[5-9]|[34]\d)%/);
});

test('bad input: one line each, naming the problem and what was expected, nothing stored', () => {
  const junk = join(kr.root, 'junk.tar');
  writeFileSync(junk, 'this is not a tarball at all\n'.repeat(50));
  const truncated = join(kr.root, 'truncated.tar');
  writeFileSync(truncated, readFileSync(tarOf(busyboxRootfs(), join(kr.root, 'full.tar'))).subarray(0, 700000));
  const badGzip = join(kr.root, 'bad.tgz');
  const fullGz = gzipSync(readFileSync(join(kr.root, 'full.tar')));
  writeFileSync(badGzip, fullGz.subarray(0, fullGz.length / 2));
  const cases: Array<[string[], RegExp]> = [
    [['image', 'import', junk, '--name', 'junk'], /^kit: .*junk\.tar: not a tar archive.*docker export.*docker save.*OCI/],
    [['image', 'import', truncated, '--name', 'trunc'], /^kit: .*truncated\.tar: the tar archive is truncated \(it ends inside or after entry '.\/bin\/busybox'\)/],
    [['image', 'import', badGzip, '--name', 'badgz'], /^kit: .*bad\.tgz: the (gzip data is corrupt|tar archive is truncated)/],
    [['image', 'import', join(kr.root, 'missing.tar'), '--name', 'missing'], /^kit: no file '.*missing\.tar'/],
    [['image', 'import', junk, '--name', 'Bad Name'], /^kit: 'Bad Name' is not a valid image name/],
    [['image', 'inspect', 'nope'], /^kit: no image 'nope'; available images: /],
    [['image', 'rm', 'nope'], /^kit: no image 'nope'; available images: /],
    [['image', 'export', 'nope', '-o', join(kr.root, 'nope.tar')], /^kit: no image 'nope'; available images: /],
    [['image', 'export', 'nope', '-o', join(kr.root, 'no-such-dir', 'x.tar')], /^kit: cannot write '.*no-such-dir\/x\.tar'; give -o a file path in an existing directory/],
  ];
  for (const [args, message] of cases) {
    const r = kit(args, kr.env);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  }
  expect(existsSync(join(kr.root, 'nope.tar'))).toBe(false);
  const images = readdirSync(join(kr.root, 'data', 'images'));
  expect(images.filter((f) => /junk|trunc|badgz|missing/.test(f))).toEqual([]);
  expect(readdirSync(join(kr.root, 'data', 'layers')).filter((f) => f.startsWith('.tmp'))).toEqual([]);
});

test('a layer whose content does not match its digest fails the import, and the layers stored before it are removed', () => {
  const [base, app] = twoLayers();
  const file = dockerSaveTar(join(kr.root, 'tampered.tar'), [base, app], {}, ['l1', 'l2'], (c) => {
    const json = JSON.parse(c.toString());
    json.rootfs.diff_ids[1] = `sha256:${'0'.repeat(64)}`;
    return Buffer.from(JSON.stringify(json));
  });
  const layersBefore = storedLayers();
  const r = kit(['image', 'import', file, '--name', 'tampered'], kr.env);
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(/^kit: the image archive is corrupt: a layer's content has digest sha256:[0-9a-f]{64}, but the config says sha256:0{64}/);
  expect(storedLayers()).toEqual(layersBefore);
  expect(existsSync(join(kr.root, 'data', 'images', 'tampered.json'))).toBe(false);
});

test.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)('%s during an import (Ctrl-C, kill) stops it at once and leaves nothing behind', async (signal, code) => {
  const src = makeTree(scratch('huge'), { 'huge.bin': Buffer.alloc(160 << 20, 1), 'z-after': 'after\n' });
  const file = tarOf(src, join(kr.root, 'huge.tar'));
  const layersBefore = storedLayers();
  const child = kitBackground(['image', 'import', file, '--name', 'huge'], kr.env);
  let stderr = '';
  let interrupted = false;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.includes('reading huge.tar') && child.signalCode === null && !interrupted) {
      interrupted = child.kill(signal);
      sentAt = Date.now();
    }
  });
  let sentAt = 0;
  expect(await exited).toBe(code);
  // At once: the read in progress is aborted, not finished (generous for a loaded CI machine).
  expect(Date.now() - sentAt).toBeLessThan(15000);
  expect(stderr).toContain(`kit: interrupted by ${signal}: nothing was stored`);
  expect(storedLayers()).toEqual(layersBefore);
  expect(existsSync(join(kr.root, 'data', 'images', 'huge.json'))).toBe(false);
});

test('what a kill -9 left (scratch dirs, half-added layers) is removed by the next import', () => {
  const dead = spawnSync('true').pid!;
  const leftovers = [
    join(kr.root, 'data', 'tmp', `import-${dead}-12345-abcdef`),
    join(kr.root, 'data', 'layers', `.tmp-${'a'.repeat(64)}-${dead}-1700000000000`),
    join(kr.root, 'data', 'layers', `.tmp-import-${dead}-1700000000000-0a1b2c3d`),
  ];
  for (const dir of leftovers) makeTree(dir, { 'half-written': 'x' });
  // The scratch dir of a kit that is still running (this test process stands in for it) stays.
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const startTime = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  const busy = join(kr.root, 'data', 'tmp', `import-${process.pid}-${startTime}-busy`);
  makeTree(busy, { busy: 'x' });
  const src = makeTree(scratch('after-crash'), { 'etc/motd': 'hi\n' });
  kitJson(['image', 'import', tarOf(src, join(kr.root, 'after-crash.tar')), '--name', 'after-crash'], kr.env);
  for (const dir of leftovers) expect(existsSync(dir)).toBe(false);
  expect(existsSync(busy)).toBe(true);
  rmSync(busy, { recursive: true });
});
