import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { KitError } from '../../core/errors';
import { importImage } from '../../core/image/import';
import { ImageStore } from '../../core/image/store';
import { kitPaths } from '../../core/paths';
import { craftTar } from '../support/images';
import { cleanKitRoot } from '../support/kit';

/**
 * A property test over a few thousand mutated archives: random entry types,
 * hostile names and link targets, duplicates, truncations, flipped bytes and
 * broken save manifests. Whatever the archive, an import either stores an
 * image or fails with a KitError (one line for the user, never a raw Node
 * error), and in both cases: the victim file outside the data dir keeps its
 * mode, content, mtime and link count; no scratch dir or half layer is left;
 * the store still lists its images.
 */
const CASES = Number(process.env.KIT_FUZZ_CASES ?? 2000);
const kr = cleanKitRoot();
const paths = kitPaths(kr.env);
const store = new ImageStore(paths);
const victim = join(kr.root, 'victim');
writeFileSync(victim, 'victim\n', { mode: 0o600 });
chmodSync(victim, 0o600);
utimesSync(victim, 1000000000, 1000000000);
const victimState = () => {
  const s = statSync(victim);
  return `${s.mode} ${s.nlink} ${s.mtimeMs} ${readFileSync(victim, 'utf8')}`;
};

/** mulberry32: a seeded generator, so a failing case can be replayed by its number. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Entry = Parameters<typeof craftTar>[1][number];
const TYPES = ['file', 'dir', 'symlink', 'hardlink', 'fifo', 'char', 'block'] as const;
const NAMES = ['etc', 'etc/passwd', 'bin/sh', 'a/b/c', 'link', 'x/.wh.y', 'x/.wh..wh..opq', '.wh..', '..', '../victim', '/etc/shadow-kit', victim, 'a/../../x', '.', './', 'n'.repeat(300), Array(2100).fill('d').join('/'), 'manifest.json', 'index.json', 'oci-layout', 'repositories'];
const TARGETS = ['etc/passwd', 'link', '..', '../..', victim, '/', 'a', 'bin', 'bin/sh', 'x/y', '../../../../victim', 'a/b/c'];

function baseEntries(): Entry[] {
  return [
    { path: 'etc/', type: 'dir', mode: 0o755 },
    { path: 'etc/passwd', body: 'root:x:0:0::/:/bin/sh\n' },
    { path: 'bin/', type: 'dir', mode: 0o755 },
    { path: 'bin/sh', type: 'symlink', linkpath: 'busybox' },
    { path: 'bin/busybox', body: 'not really\n', mode: 0o755 },
    { path: 'etc/passwd.hard', type: 'hardlink', linkpath: 'etc/passwd' },
    { path: 'x/', type: 'dir', mode: 0o755 },
    { path: 'x/.wh.gone', body: '' },
  ];
}

function mutate(entries: Entry[], rnd: () => number): Entry[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  const out = entries.map((e) => ({ ...e }));
  const count = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < count; i++) {
    const e = pick(out);
    switch (Math.floor(rnd() * 6)) {
      case 0:
        e.type = pick(TYPES);
        if (e.type !== 'file') delete e.body;
        break;
      case 1:
        e.path = pick(NAMES);
        break;
      case 2:
        e.linkpath = pick(TARGETS);
        e.type = rnd() < 0.5 ? 'hardlink' : 'symlink';
        delete e.body;
        break;
      case 3:
        out.push({ ...pick(out), mode: Math.floor(rnd() * 0o7777) });
        break;
      case 4:
        out.splice(Math.floor(rnd() * out.length), 0, { ...pick(out) });
        break;
      default:
        e.mode = rnd() < 0.5 ? 0o4777 : 0;
    }
    if (e.type === 'char' || e.type === 'block') Object.assign(e, { devmajor: 1, devminor: 3 });
  }
  return out;
}

/** Damage the bytes: truncate, flip, or gzip and cut. */
function damage(tar: Buffer, rnd: () => number): Buffer {
  const r = rnd();
  if (r < 0.1) return tar.subarray(0, Math.floor(rnd() * tar.length));
  if (r < 0.2) {
    const copy = Buffer.from(tar);
    for (let i = 0; i < 4; i++) copy[Math.floor(rnd() * copy.length)] ^= 1 << Math.floor(rnd() * 8);
    return copy;
  }
  if (r < 0.3) {
    const gz = gzipSync(tar);
    return rnd() < 0.5 ? gz : gz.subarray(0, Math.floor(rnd() * gz.length));
  }
  return tar;
}

/** Half the cases: the mutated tar becomes the layer of a docker save whose manifest is mutated too. */
async function saveAround(layer: Buffer, file: string, rnd: () => number): Promise<void> {
  const layerName = rnd() < 0.2 ? '../victim' : rnd() < 0.1 ? victim : 'l/layer.tar';
  const config = rnd() < 0.2 ? { config: { Cmd: 'sh', Env: rnd() < 0.5 ? 'A=1' : ['A=1'], Entrypoint: null }, rootfs: { diff_ids: ['sha256:' + 'a'.repeat(64)] } } : { rootfs: { diff_ids: [require('node:crypto').createHash('sha256').update(layer).digest('hex')].map((h: string) => `sha256:${h}`) } };
  const manifest = rnd() < 0.2 ? { Config: 1 } : [{ Config: rnd() < 0.1 ? victim : 'c.json', RepoTags: rnd() < 0.5 ? ['fz:latest'] : null, Layers: [layerName] }];
  const members: Entry[] = [
    { path: 'l/', type: 'dir', mode: 0o755 },
    { path: 'l/layer.tar', body: layer.toString('latin1') },
    { path: 'c.json', body: JSON.stringify(config) },
    { path: 'manifest.json', body: JSON.stringify(manifest) },
  ];
  if (rnd() < 0.2) members[1] = { path: 'l/layer.tar', type: pick3(rnd), linkpath: victim };
  await craftTar(file, members);
  // craftTar wrote the layer as latin1 text: rewrite byte-exact bodies is not needed, the digest decides.
}
const pick3 = (rnd: () => number) => (['symlink', 'hardlink', 'fifo'] as const)[Math.floor(rnd() * 3)];

test(`${CASES} mutated archives: stored or one KitError, and the invariants hold`, async () => {
  const before = victimState();
  const failures: string[] = [];
  let stored = 0;
  for (let i = 0; i < CASES && failures.length < 5; i++) {
    const rnd = prng(i + 1);
    const file = join(kr.root, 'case.tar');
    const layerFile = join(kr.root, 'layer.tar');
    await craftTar(layerFile, mutate(baseEntries(), rnd));
    const tar = damage(readFileSync(layerFile), rnd);
    if (rnd() < 0.5) writeFileSync(file, tar);
    else await saveAround(tar, file, rnd);
    try {
      const result = await importImage(store, paths, file, { name: rnd() < 0.8 ? `fz${i}` : undefined });
      stored++;
      for (const image of result.images) store.remove(image.name);
      store.removeUnusedLayers();
    } catch (err) {
      if (!(err instanceof KitError)) failures.push(`case ${i}: ${(err as Error).stack?.split('\n').slice(0, 3).join(' | ')}`);
      else if ((err as Error).message.includes('\n')) failures.push(`case ${i}: a message of several lines: ${(err as Error).message}`);
    }
    if (victimState() !== before) failures.push(`case ${i}: the victim file changed`);
    const tmp = join(paths.data, 'tmp');
    if (existsSync(tmp) && readdirSync(tmp).length) failures.push(`case ${i}: left ${readdirSync(tmp)} in data/tmp`);
    const layers = join(paths.data, 'layers');
    if (existsSync(layers) && readdirSync(layers).some((l) => l.startsWith('.'))) failures.push(`case ${i}: left a half layer`);
    store.list();
  }
  expect(failures).toEqual([]);
  // The mutations are not so harsh that nothing gets through.
  expect(stored).toBeGreaterThan(CASES / 20);
  expect(existsSync('/etc/shadow-kit')).toBe(false);
}, 600000);

beforeAll(() => mkdirSync(kr.root, { recursive: true }));
