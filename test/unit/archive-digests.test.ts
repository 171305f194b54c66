import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { openArchive } from '../../core/image/tar/archive';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kit-digests-'));
  writeFileSync(join(dir, 'a'), 'hello\n'.repeat(5000));
  expect(spawnSync('tar', ['-C', dir, '-cf', join(dir, 'l.tar'), 'a']).status).toBe(0);
  expect(spawnSync('sh', ['-c', `gzip -c ${join(dir, 'l.tar')} > ${join(dir, 'l.tar.gz')}`]).status).toBe(0);
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
