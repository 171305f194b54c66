import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { KitError } from '../../errors';
import { configAndHistory, CorruptImageError, diffIds, goArch, readJson, type ConfigJson, type ParsedImage } from './parsed';

/**
 * OCI image layout: `oci-layout`, `index.json` pointing (maybe through a
 * nested index, one per platform) at a manifest, and every JSON document
 * and layer stored as `blobs/sha256/<hex>`, named by its own digest.
 */
interface Descriptor {
  mediaType?: string;
  digest: string;
  platform?: { os?: string; architecture?: string };
}

interface Index {
  manifests?: Descriptor[];
}

interface Manifest {
  config?: Descriptor;
  layers?: Descriptor[];
}

const INDEX_TYPES = ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'];

export function readOciLayout(dir: string, source: string): ParsedImage {
  const manifest = resolveManifest(dir, readJson<Index>(join(dir, 'index.json'), 'index.json'));
  if (!manifest.config || !Array.isArray(manifest.layers)) throw new CorruptImageError('the image manifest has no config or no layers');
  const config = blobJson<ConfigJson>(dir, manifest.config);
  const ids = diffIds(config, manifest.layers.length);
  const { createdBy, ...rest } = configAndHistory(config, manifest.layers.length, basename(source));
  const layers = manifest.layers.map((layer, i) => {
    if (layer.mediaType?.includes('zstd')) throw new KitError(`layer ${layer.digest} is zstd-compressed, which kit cannot read`, 'save the image with gzip or uncompressed layers (e.g. `docker save`, or `skopeo copy --dest-compress-format gzip`)');
    return { file: blobPath(dir, layer.digest), diffId: ids[i], blobDigest: layer.digest, createdBy: createdBy[i] };
  });
  return { layers, ...rest };
}

/** Follow index.json (and nested indexes) to one image manifest, preferring this machine's platform. */
function resolveManifest(dir: string, index: Index): Manifest {
  const manifests = index.manifests ?? [];
  if (manifests.length === 0) throw new CorruptImageError('index.json lists no manifests');
  const arch = goArch();
  const chosen = manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === arch) ?? manifests.find((m) => !m.platform?.architecture || m.platform.architecture !== 'unknown') ?? manifests[0];
  const doc = blobJson<Index & Manifest & { mediaType?: string }>(dir, chosen);
  return INDEX_TYPES.includes(chosen.mediaType ?? doc.mediaType ?? '') || (doc.manifests && !doc.layers) ? resolveManifest(dir, doc) : doc;
}

/** A JSON blob, checked against its digest. */
function blobJson<T>(dir: string, descriptor: Descriptor): T {
  const file = blobPath(dir, descriptor.digest);
  const digest = `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
  if (digest !== descriptor.digest) throw new CorruptImageError(`blob ${descriptor.digest} has digest ${digest}`);
  return readJson<T>(file, descriptor.digest);
}

function blobPath(dir: string, digest: string): string {
  const match = /^sha256:([0-9a-f]{64})$/.exec(String(digest));
  if (!match) throw new CorruptImageError(`'${digest}' is not a sha256 digest`);
  const file = join(dir, 'blobs', 'sha256', match[1]);
  if (!existsSync(file)) throw new CorruptImageError(`blob ${digest} is missing from blobs/sha256/`);
  return file;
}
