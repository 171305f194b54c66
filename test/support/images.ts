import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { TarHeader } from '../../core/image/tar/header';
import { TarWriter } from '../../core/image/tar/writer';

/**
 * Image tarballs built by the tests themselves, with GNU tar for layers (an
 * independent implementation) and the real layouts of `docker save` and OCI
 * image layout around them.
 */

export function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** A directory tree from a map of relative path -> file content. */
export function makeTree(dir: string, files: Record<string, string | Buffer>): string {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}

/** `tar -c` of a directory's contents (what `docker export` writes), optionally gzipped. */
export function tarOf(dir: string, out: string, options: { gzip?: boolean; format?: 'gnu' | 'pax' | 'ustar'; extra?: string[] } = {}): string {
  execFileSync('tar', [`--format=${options.format ?? 'gnu'}`, ...(options.extra ?? []), '-C', dir, options.gzip ? '-czf' : '-cf', out, '.']);
  return out;
}

/** A tar with exactly these entries, written with kit's writer (for crafted, hostile tars). */
export async function craftTar(out: string, entries: Array<Partial<TarHeader> & { path: string; body?: string }>): Promise<string> {
  const tar = new TarWriter(createWriteStream(out));
  for (const e of entries) {
    const body = e.body === undefined ? undefined : Buffer.from(e.body);
    const header: TarHeader = { type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 1700000000, linkpath: '', devmajor: 0, devminor: 0, ...e, size: body?.length ?? 0 };
    await tar.add(header, body);
  }
  await tar.finish();
  return out;
}

export interface TestConfig {
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  WorkingDir?: string;
  User?: string;
}

function configJson(layerTars: Buffer[], config: TestConfig, steps: string[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config,
      rootfs: { type: 'layers', diff_ids: layerTars.map(sha256) },
      history: steps.map((s) => ({ created_by: s })),
    }),
  );
}

/** Each layer: a directory (tarred with GNU tar) or an already made .tar (e.g. a crafted one). */
function layerTarsOf(layers: string[], scratch: string): Buffer[] {
  return layers.map((layer, i) => readFileSync(layer.endsWith('.tar') ? layer : tarOf(layer, join(scratch, `layer${i}.tar`))));
}

/** `docker save` layout: <id>/layer.tar per layer, <config>.json, manifest.json. */
export function dockerSaveTar(out: string, layerDirs: string[], config: TestConfig, steps: string[], tamper?: (config: Buffer) => Buffer): string {
  const scratch = mkdtempSync(join(tmpdir(), 'kit-save-'));
  const root = join(scratch, 'root');
  try {
    const layers = layerTarsOf(layerDirs, scratch);
    const cfg = (tamper ?? ((c) => c))(configJson(layers, config, steps));
    const cfgName = `${sha256(cfg).slice(7)}.json`;
    const names = layers.map((l) => `${sha256(l).slice(7)}/layer.tar`);
    layers.forEach((l, i) => makeTree(root, { [names[i]]: l }));
    makeTree(root, { [cfgName]: cfg, 'manifest.json': JSON.stringify([{ Config: cfgName, RepoTags: ['test:latest'], Layers: names }]) });
    return tarOf(root, out);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** OCI image layout: oci-layout, index.json -> manifest -> config + layers, all in blobs/sha256. */
export function ociLayoutTar(out: string, layerDirs: string[], config: TestConfig, steps: string[], options: { gzip?: boolean } = {}): string {
  const scratch = mkdtempSync(join(tmpdir(), 'kit-oci-'));
  const root = join(scratch, 'root');
  const blob = (data: Buffer) => {
    makeTree(root, { [`blobs/sha256/${sha256(data).slice(7)}`]: data });
    return { digest: sha256(data), size: data.length };
  };
  try {
    const layers = layerTarsOf(layerDirs, scratch);
    const stored = layers.map((l) => (options.gzip ? gzipSync(l) : l));
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...blob(configJson(layers, config, steps)) },
        layers: stored.map((s) => ({ mediaType: `application/vnd.oci.image.layer.v1.tar${options.gzip ? '+gzip' : ''}`, ...blob(s) })),
      }),
    );
    const index = { schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...blob(manifest), platform: { os: 'linux', architecture: 'amd64' } }] };
    makeTree(root, { 'oci-layout': JSON.stringify({ imageLayoutVersion: '1.0.0' }), 'index.json': JSON.stringify(index) });
    return tarOf(root, out);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Every path under dir with its type, mode and content digest: two trees compare equal when their files do. */
export function treeListing(dir: string): string[] {
  return execFileSync('find', ['.', '-printf', '%P %y %m %U:%G %l\\n'], { cwd: dir, encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const path = l.split(' ')[0];
      const isFile = l.split(' ')[1] === 'f';
      return isFile ? `${l} ${sha256(readFileSync(join(dir, path))).slice(7, 19)}` : l;
    })
    .sort();
}
