import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { craftTar, dockerSaveTar, makeTree, sha256, tarOf } from '../support/images';
import { cleanKitRoot, kit, kitJson } from '../support/kit';

/**
 * Hostile archives (issue: "hostile input changes nothing"). A victim file
 * outside kit's data dir, mode 0600, is the target of each attack: its mode,
 * content and mtime must not change, no error may show its content or hash,
 * nothing may be stored, and no file may appear in /tmp.
 */
const kr = cleanKitRoot();
const victimDir = join(kr.root, 'victim-dir');
const victim = join(victimDir, 'secret');
mkdirSync(victimDir);
writeFileSync(victim, 'TOP-SECRET-CONTENT\n', { mode: 0o600 });
chmodSync(victim, 0o600);
utimesSync(victim, 1000000000, 1000000000);
const victimHash = sha256(readFileSync(victim)).slice(7);

function victimState(): string {
  const s = statSync(victim);
  return JSON.stringify({ mode: s.mode, nlink: s.nlink, mtime: s.mtimeMs, content: readFileSync(victim, 'utf8') });
}
const before = victimState();
const tmpBefore = new Set(readdirSync(tmpdir()));

function expectClean(name: string, stderr: string): void {
  expect(stderr.trim().split('\n').filter((l) => !l.startsWith('reading '))).toHaveLength(1);
  expect(stderr).not.toContain('TOP-SECRET');
  expect(stderr).not.toContain(victimHash);
  expect(stderr).not.toMatch(/RangeError|ENAMETOOLONG|at .*\.js:\d+/);
  expect(victimState()).toBe(before);
  expect(existsSync(join(kr.root, 'data', 'images', `${name}.json`))).toBe(false);
  const tmp = join(kr.root, 'data', 'tmp');
  if (existsSync(tmp)) expect(readdirSync(tmp)).toEqual([]);
  const layers = join(kr.root, 'data', 'layers');
  if (existsSync(layers)) expect(readdirSync(layers).filter((l) => l.startsWith('.'))).toEqual([]);
}

function refused(name: string, file: string, pattern: RegExp, extra: string[] = []): void {
  const r = kit(['image', 'import', file, '--name', name, ...extra], kr.env);
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(pattern);
  expectClean(name, r.stderr);
}

const benign = { path: 'etc/hostname', body: 'kit\n' };
let n = 0;
const out = (label: string) => join(kr.root, `${++n}-${label}`);

describe('layer entries', () => {
  test('a hard link to a symlink is refused: chmod never reaches the symlink\'s target', async () => {
    const file = await craftTar(out('hl-sym.tar'), [benign, { path: 'link', type: 'symlink', linkpath: victim }, { path: 'hard', type: 'hardlink', linkpath: 'link', mode: 0o4777 }]);
    refused('hl-sym', file, /refused tar entry 'hard': it is a hard link to the symlink 'link'; only regular files may be hard linked/);
  });

  test('a hard link to a FIFO or a device is refused', async () => {
    const fifo = await craftTar(out('hl-fifo.tar'), [benign, { path: 'f', type: 'fifo', mode: 0o644 }, { path: 'h', type: 'hardlink', linkpath: 'f' }]);
    refused('hl-fifo', fifo, /refused tar entry 'h': it is a hard link to the special file 'f'/);
    const dev = await craftTar(out('hl-dev.tar'), [benign, { path: 'null', type: 'char', mode: 0o666, devmajor: 1, devminor: 3 }, { path: 'h', type: 'hardlink', linkpath: 'null' }]);
    refused('hl-dev', dev, /hard link to the special file 'null'/);
  });

  test('a path 3,000 directories deep is one clear line, and the next import works', async () => {
    const deep = `${Array(3000).fill('d').join('/')}/f`;
    const file = await craftTar(out('deep.tar'), [benign, { path: deep, body: 'x' }]);
    refused('deep', file, /refused tar entry 'd\/d\/.*\.\.\..*\(6001 bytes\)': its path is 6001 bytes \(3001 levels deep\), over the limit of 4095 \(--max-path\)/);
    const ok = await craftTar(out('ok.tar'), [benign]);
    expect(kit(['image', 'import', ok, '--name', 'after-deep'], kr.env).status).toBe(0);
  });

  test('a tree 1,900 levels deep (within PATH_MAX): a failed import removes it; a good one imports, exports, runs and is removed', async () => {
    const deep = `${Array(1900).fill('d').join('/')}/f`;
    const bad = await craftTar(out('deep-bad.tar'), [benign, { path: deep, body: 'x' }, { path: '/abs', body: 'x' }]);
    refused('deep-bad', bad, /refused tar entry '\/abs': it has an absolute path/);
    const good = await craftTar(out('deep-good.tar'), [benign, { path: deep, body: 'deep\n' }]);
    expect(kit(['image', 'import', good, '--name', 'deep-good'], kr.env).status).toBe(0);
    expect(kit(['image', 'export', 'deep-good', '-o', out('deep-export.tar'), '--format', 'docker-save'], kr.env).status).toBe(0);
    expect(kit(['image', 'rm', 'deep-good'], kr.env)).toMatchObject({ status: 0, stderr: '' });
    expectClean('deep-good', '');
    expect(readdirSync(join(kr.root, 'data', 'layers'))).not.toContain(expect.stringMatching(/^\./));
  });

  test('a name over NAME_MAX, a path over --max-path and link targets over PATH_MAX are one clear line', async () => {
    const long = await craftTar(out('long.tar'), [benign, { path: `etc/${'n'.repeat(300)}`, body: 'x' }]);
    refused('long', long, /a name in its path is 300 bytes; Linux allows 255 \(NAME_MAX\)/);
    const path = await craftTar(out('path.tar'), [benign, { path: `a/${'b'.repeat(120)}`, body: 'x' }]);
    refused('maxpath', path, /its path is 122 bytes .* over the limit of 100 \(--max-path\)/, ['--max-path', '100']);
    const target = 'a/'.repeat(3000);
    const symlink = await craftTar(out('long-symlink.tar'), [benign, { path: 's', type: 'symlink', linkpath: target }]);
    refused('long-symlink', symlink, /^kit: refused tar entry 's': its symlink target is 6000 bytes; Linux allows 4095 \(PATH_MAX\)/);
    const hardlink = await craftTar(out('long-hardlink.tar'), [benign, { path: 'h', type: 'hardlink', linkpath: target }]);
    refused('long-hardlink', hardlink, /^kit: refused tar entry 'h': its hard link target is 6000 bytes; Linux allows 4095 \(PATH_MAX\)/);
  });

  test('--max-entries stops a flood of entries', async () => {
    const file = await craftTar(out('flood.tar'), Array.from({ length: 200 }, (_, i) => ({ path: `f${i}`, body: '' })));
    refused('flood', file, /hold more than 100 tar entries \(--max-entries\): the import was stopped and nothing was stored/, ['--max-entries', '100']);
  });
});

describe('huge counts in the metadata', () => {
  /** A docker save of one small layer whose manifest.json is `manifest(layerName, configName)`. */
  function saveListing(label: string, manifest: (layer: string, config: string) => unknown, layerCopies = 1): string {
    const dir = makeTree(out(label), { 'l/layer.tar': readFileSync(tarOf(makeTree(out(`${label}-src`), { 'etc/motd': 'hi\n' }), out(`${label}-layer.tar`))) });
    const diffId = sha256(readFileSync(join(dir, 'l/layer.tar')));
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ rootfs: { type: 'layers', diff_ids: Array(layerCopies).fill(diffId) } }));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest('l/layer.tar', 'c.json')));
    return tarOf(dir, `${dir}.tar`);
  }

  test('an image listing 10,000 layers is refused at once: overlay2 stacks 128', () => {
    const file = saveListing('layers-10000', (l, c) => [{ Config: c, RepoTags: ['deep:latest'], Layers: Array(10000).fill(l) }], 10000);
    const started = Date.now();
    refused('layers-10000', file, /^kit: manifest\.json's image deep:latest lists 10000 layers; overlay2 stacks at most 128 \(Docker's limit\), and nothing was stored; squash the image/);
    expect(Date.now() - started).toBeLessThan(20000);
  });

  test('a save listing 5,000 images is refused at once, in one short line', () => {
    const file = saveListing('images-5000', (l, c) => Array.from({ length: 5000 }, (_, i) => ({ Config: c, RepoTags: [`many${i}:latest`], Layers: [l] })));
    refused('images-5000', file, /^kit: manifest\.json lists 5000 images; kit imports at most 256 from one archive, and nothing was stored; save the images in smaller groups\n$/);
  });

  /** An OCI layout whose index.json is `index(blob)`; `blob` stores a JSON document and returns its descriptor. */
  function layoutListing(label: string, index: (blob: (doc: unknown) => { mediaType: string; digest: string; size: number }) => unknown): string {
    const dir = out(label);
    const blob = (doc: unknown) => {
      const data = Buffer.from(JSON.stringify(doc));
      makeTree(dir, { [`blobs/sha256/${sha256(data).slice(7)}`]: data });
      const isIndex = typeof doc === 'object' && doc !== null && 'manifests' in doc;
      return { mediaType: `application/vnd.oci.image.${isIndex ? 'index' : 'manifest'}.v1+json`, digest: sha256(data), size: data.length };
    };
    makeTree(dir, { 'oci-layout': '{"imageLayoutVersion":"1.0.0"}', 'index.json': JSON.stringify(index(blob)) });
    return tarOf(dir, `${dir}.tar`);
  }

  test('an index.json of 5,000 manifests, and indexes nested without end, are refused at once', () => {
    const manifest = { schemaVersion: 2, config: { digest: `sha256:${'1'.repeat(64)}` }, layers: [] };
    const wide = layoutListing('oci-5000', (blob) => {
      const m = blob(manifest);
      return { schemaVersion: 2, manifests: Array.from({ length: 5000 }, (_, i) => ({ ...m, annotations: { 'org.opencontainers.image.ref.name': `n${i}` } })) };
    });
    refused('oci-5000', wide, /^kit: index\.json lists 5000 images; kit imports at most 256 from one archive/);
    const deep = layoutListing('oci-deep', (blob) => {
      let doc = blob(manifest);
      for (let i = 0; i < 50; i++) doc = blob({ schemaVersion: 2, manifests: [doc] });
      return { schemaVersion: 2, manifests: [doc] };
    });
    refused('oci-deep', deep, /^kit: the image archive is corrupt: its indexes nest more than 4 deep/);
  });

  test('one layer file listed again and again is read once and stored once', () => {
    const file = saveListing('same-layer', (l, c) => [{ Config: c, RepoTags: ['same:latest'], Layers: [l, `./${l}`, l, l] }], 4);
    const started = Date.now();
    const image = kitJson<{ layers: string[] }>(['image', 'import', file, '--name', 'same'], kr.env);
    expect(new Set(image.layers).size).toBe(1);
    expect(image.layers).toHaveLength(4);
    expect(Date.now() - started).toBeLessThan(20000);
    expect(kit(['image', 'rm', 'same'], kr.env).status).toBe(0);
  });
});

test("a full disk is one line saying so, not 'unsafe or damaged', and nothing is left on it", () => {
  const small = join(kr.root, 'small');
  mkdirSync(small);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'kit-test-small', small]);
  try {
    const src = makeTree(out('big-src'), { 'big.bin': Buffer.alloc(8 << 20, 7) });
    const env = { ...kr.env, KIT_ROOT: join(small, 'root') };
    const r = kit(['image', 'import', tarOf(src, out('big.tar')), '--name', 'big'], env);
    expect(r.status).toBe(1);
    // The progress bar of the read is not part of the error.
    const lines = r.stderr.split(/[\r\n]+/).filter((l) => l && !l.startsWith('reading '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^kit: no space left for '\.\/big\.bin' \(ENOSPC\): the import was stopped and nothing was stored; free some space/);
    expect(readdirSync(join(small, 'root', 'data', 'tmp'))).toEqual([]);
    expect(existsSync(join(small, 'root', 'data', 'images', 'big.json'))).toBe(false);
  } finally {
    execFileSync('umount', [small]);
  }
});

describe('gzip bombs', () => {
  // 64 MiB of zeros in one file gzips to ~64 KiB.
  const bombTar = async () => {
    const dir = makeTree(out('bomb-src'), { 'zeros': Buffer.alloc(64 << 20) });
    return readFileSync(tarOf(dir, out('bomb.tar')));
  };

  test('a gzipped rootfs that inflates past --max-size stops there', async () => {
    const file = out('bomb.tar.gz');
    writeFileSync(file, gzipSync(await bombTar()));
    expect(statSync(file).size).toBeLessThan(1 << 20);
    refused('bomb', file, /the archive would unpack to more than 8 MiB \(--max-size 8388608\): the import was stopped and nothing was stored/, ['--max-size', '8m']);
  });

  test('a gzipped layer inside a docker save stops there too', async () => {
    const layer = out('bomb-layer.tar');
    writeFileSync(layer, gzipSync(await bombTar()));
    const save = dockerSaveTar(out('bomb-save.tar'), [layer], {}, ['bomb']);
    refused('bomb-save', save, /unpack to more than 8 MiB/, ['--max-size', '8m']);
  });
});

describe('archive members', () => {
  /** A save (outer archive) made of these files and links, as tar writes them. */
  function saveOf(label: string, build: (dir: string) => void): string {
    const dir = out(label);
    mkdirSync(dir);
    build(dir);
    return tarOf(dir, `${dir}.tar`);
  }

  test.each([
    ['manifest.json', (d: string) => symlinkSync(victim, join(d, 'manifest.json')), /manifest\.json' is a symlink out of the archive/],
    ['a config', (d: string) => { writeFileSync(join(d, 'manifest.json'), JSON.stringify([{ Config: 'c.json', Layers: ['l.tar'] }])); symlinkSync(victim, join(d, 'c.json')); }, /the config 'c\.json' is a symlink out of the archive/],
    ['a config via ..', (d: string) => { writeFileSync(join(d, 'manifest.json'), JSON.stringify([{ Config: 'x/../../secret', Layers: [] }])); }, /points outside the archive/],
    ['a layer', (d: string) => { writeFileSync(join(d, 'manifest.json'), JSON.stringify([{ Config: 'c.json', Layers: ['l.tar'] }])); writeFileSync(join(d, 'c.json'), JSON.stringify({ rootfs: { diff_ids: [`sha256:${victimHash}`] } })); symlinkSync(`../../../../../../../..${victim}`, join(d, 'l.tar')); }, /layer 'l\.tar' points outside the archive/],
    ['index.json', (d: string) => { writeFileSync(join(d, 'oci-layout'), '{}'); symlinkSync(victim, join(d, 'index.json')); }, /index\.json' is a symlink out of the archive/],
  ])('%s as a link to a host file is refused without reading it', (label, build, pattern) => {
    refused(`member-${n}`, saveOf(`member-${label.replace(/\W/g, '')}`, build), pattern);
  });

  test('a FIFO where manifest.json should be is refused at once, not opened', () => {
    const file = saveOf('fifo-manifest', (d) => execFileSync('mkfifo', [join(d, 'manifest.json')]));
    const started = Date.now();
    refused('fifo-manifest', file, /manifest\.json' is a FIFO, not a regular file/);
    expect(Date.now() - started).toBeLessThan(20000);
  });

  test('a FIFO given as the archive is refused before it is opened for reading', () => {
    const fifo = out('input.fifo');
    execFileSync('mkfifo', [fifo]);
    refused('fifo-input', fifo, /is not a regular file/);
  });

  test('an archive shaped like a save is never guessed to be a root filesystem', () => {
    const file = saveOf('half-save', (d) => makeTree(d, { 'repositories': 'not json', [`${'a'.repeat(64)}/layer.tar`]: 'x' }));
    refused('half-save', file, /the image archive is corrupt: repositories 'repositories' is not valid JSON/);
  });
});

describe('the store', () => {
  test('a layer already stored is not trusted by its digest: a lying manifest is refused', async () => {
    const good = makeTree(out('good'), { 'etc/motd': 'good\n' });
    const goodSave = dockerSaveTar(out('good-save.tar'), [good], {}, ['good']);
    const image = kitJson<{ layers: string[] }>(['image', 'import', goodSave, '--name', 'good'], kr.env);
    const evil = await craftTar(out('evil-layer.tar'), [{ path: 'etc/motd', body: 'evil\n' }]);
    // The config claims the stored good layer's digest for the evil layer's content.
    const save = dockerSaveTar(out('lying-save.tar'), [evil], {}, ['lie'], (config) => Buffer.from(config.toString().replace(/sha256:[0-9a-f]{64}/, image.layers[0])));
    refused('lying', save, /a layer's content has digest sha256:[0-9a-f]{64}, but the config says/);
    expect(readFileSync(join(kr.root, 'data', 'layers', image.layers[0].slice(7), 'diff', 'etc', 'motd'), 'utf8')).toBe('good\n');
  });

  test('two imports racing for one name: exactly one wins, the other gets a clear error', async () => {
    const dir = makeTree(out('race'), Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f/${i}`, `${i}\n`])));
    const file = tarOf(dir, out('race.tar'));
    const bin = join(__dirname, '..', '..', 'bin', 'run.js');
    const run = () =>
      new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [bin, 'image', 'import', file, '--name', 'raced'], { env: kr.env });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (status) => resolve({ status, stderr }));
      });
    const results = await Promise.all([run(), run(), run()]);
    expect(results.filter((r) => r.status === 0)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 0)) expect(r.stderr).toMatch(/^kit: (another kit \(pid \d+\) is importing or building an image named 'raced'|an image named 'raced' exists)/);
    expect(readdirSync(join(kr.root, 'data', 'images')).filter((f) => f.includes('raced'))).toEqual(['raced.json']);
  });
});

test('writes aimed at /tmp through links land nowhere', async () => {
  const pwned = join(tmpdir(), `kit-hostile-pwned-${process.pid}`);
  const viaDir = await craftTar(out('tmp-dir.tar'), [benign, { path: 't', type: 'symlink', linkpath: tmpdir() }, { path: `t/kit-hostile-pwned-${process.pid}`, body: 'x' }]);
  refused('tmp-dir', viaDir, /written through the symlink 't'/);
  const viaFile = await craftTar(out('tmp-file.tar'), [benign, { path: 'p', type: 'symlink', linkpath: pwned }, { path: 'h', type: 'hardlink', linkpath: 'p' }, { path: 'h', body: 'x' }]);
  refused('tmp-file', viaFile, /hard link to the symlink 'p'/);
  expect(existsSync(pwned)).toBe(false);
  // Nothing new in /tmp holds the victim's secret.
  for (const f of readdirSync(tmpdir()).filter((f) => !tmpBefore.has(f))) {
    const s = statSync(join(tmpdir(), f), { throwIfNoEntry: false });
    if (s?.isFile() && s.size < 1 << 20) expect(readFileSync(join(tmpdir(), f), 'utf8')).not.toContain('TOP-SECRET');
  }
  expect(victimState()).toBe(before);
});

describe('an image that points its mount targets at the host', () => {
  test("/etc as a symlink to a host dir: /etc/hosts is mounted where the link leads inside the root, the host's file untouched", () => {
    const decoyDir = join(victimDir, 'etc');
    mkdirSync(decoyDir);
    writeFileSync(join(decoyDir, 'hosts'), 'decoy\n');
    const layer = makeTree(out('etc-link'), { busybox: readFileSync('/bin/busybox') });
    chmodSync(join(layer, 'busybox'), 0o755);
    symlinkSync(decoyDir, join(layer, 'etc'));
    kitJson(['image', 'import', dockerSaveTar(out('etc-link.tar'), [layer], {}, ['etc link']), '--name', 'etc-link'], kr.env);
    const r = kit(['run', '--rm', '--network', 'none', '--hostname', 'linked', 'etc-link', '/busybox', 'sh', '-c', '/busybox cat /etc/hostname /etc/hosts'], kr.env);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^linked\n[^]*127\.0\.0\.1\s+localhost/);
    expect(readFileSync(join(decoyDir, 'hosts'), 'utf8')).toBe('decoy\n');
    expect(readdirSync(decoyDir)).toEqual(['hosts']);
    expect(victimState()).toBe(before);
  });
});
