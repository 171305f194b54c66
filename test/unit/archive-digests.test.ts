import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { extractTar } from '../../core/image/extract';
import { openArchive, PARALLEL_HASH_FROM } from '../../core/image/tar/archive';
import { TarWriter } from '../../core/image/tar/writer';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kit-digests-'));
  writeFileSync(join(dir, 'a'), 'hello\n'.repeat(5000));
  expect(spawnSync('tar', ['-C', dir, '-cf', join(dir, 'l.tar'), 'a']).status).toBe(0);
  expect(spawnSync('sh', ['-c', `gzip -c ${join(dir, 'l.tar')} > ${join(dir, 'l.tar.gz')}`]).status).toBe(0);
  // Large enough to be hashed on its own thread: files of odd sizes, so entries straddle its chunks.
  mkdirSync(join(dir, 'big'));
  for (let i = 0, total = 0; total < PARALLEL_HASH_FROM + (3 << 20); i++, total += 1_500_001 + i) writeFileSync(join(dir, 'big', `f${i}`), randomBytes(1_500_001 + i));
  expect(spawnSync('tar', ['-C', join(dir, 'big'), '-cf', join(dir, 'big.tar'), '.']).status).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

async function digests(file: string): Promise<{ file: string; tar: string }> {
  const archive = openArchive(openSync(file, 'r'));
  for await (const entry of archive.entries) for await (const _chunk of entry.body()) void _chunk;
  return { file: archive.fileDigest(), tar: archive.tarDigest() };
}

test('a plain tar is hashed once: its blob digest and diffID are both the sha256 of the file', async () => {
  const tar = readFileSync(join(dir, 'l.tar'));
  expect(await digests(join(dir, 'l.tar'))).toEqual({ file: sha256(tar), tar: sha256(tar) });
});

test('a gzipped tar: the blob digest is of the file as stored, the diffID of the tar inside', async () => {
  const gz = readFileSync(join(dir, 'l.tar.gz'));
  expect(await digests(join(dir, 'l.tar.gz'))).toEqual({ file: sha256(gz), tar: sha256(gunzipSync(gz)) });
});

test("a large plain tar is hashed on a thread of its own while its files are written: the same diffID (sha256 of the file) and the same files", async () => {
  const file = join(dir, 'big.tar');
  const tar = readFileSync(file);
  expect(tar.length).toBeGreaterThanOrEqual(PARALLEL_HASH_FROM);
  const out = join(dir, 'out');
  mkdirSync(out);
  const archive = openArchive(openSync(file, 'r'));
  await extractTar(archive.entries, out, { whiteouts: true });
  expect({ file: archive.fileDigest(), tar: archive.tarDigest() }).toEqual({ file: sha256(tar), tar: sha256(tar) });
  const names = readdirSync(join(dir, 'big')).sort();
  expect(readdirSync(out).sort()).toEqual(names);
  for (const name of names) expect(readFileSync(join(out, name)).equals(readFileSync(join(dir, 'big', name)))).toBe(true);
});

test('a large tar with a hostile entry after its data is refused on the hashing-thread path too: nothing outside, and the import does not hang', async () => {
  const file = join(dir, 'hostile-big.tar');
  const writer = new TarWriter(createWriteStream(file));
  const meta = { mode: 0o644, uid: 0, gid: 0, mtime: 0, linkpath: '', devmajor: 0, devminor: 0 };
  await writer.add({ ...meta, path: 'big.bin', type: 'file', size: PARALLEL_HASH_FROM + 1 }, randomBytes(PARALLEL_HASH_FROM + 1));
  await writer.add({ ...meta, path: '../escaped', type: 'file', size: 4 }, Buffer.from('evil'));
  await writer.finish();
  const out = join(dir, 'hostile-out', 'root');
  mkdirSync(out, { recursive: true });
  const archive = openArchive(openSync(file, 'r'));
  await expect(extractTar(archive.entries, out, { whiteouts: true })).rejects.toThrow(/refused tar entry '\.\.\/escaped': it has a '\.\.' component/);
  expect(existsSync(join(dir, 'hostile-out', 'escaped'))).toBe(false);
});
