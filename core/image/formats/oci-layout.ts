import { basename } from 'node:path';
import { z } from 'zod';
import { KitError } from '../../errors';
import { checkImageCount, checkLayerCount } from '../limits';
import { parseJson, readMember } from './member';
import { checked, configAndHistory, ConfigSchema, CorruptImageError, diffIds, goArch, type ParsedImage } from './parsed';
import { sha256Hex } from '../../sha256';

/**
 * OCI image layout (`podman save --format oci-archive`, `skopeo copy
 * oci:DIR`, the layout Docker 25+ writes inside `docker save`):
 * `oci-layout`, `index.json` pointing (maybe through a nested index, one
 * manifest per platform) at manifests, and every JSON document and layer
 * stored as `blobs/sha256/<hex>`, named by its own digest. Several images
 * are told apart by their `org.opencontainers.image.ref.name` annotation.
 */
const Descriptor = z
  .object({
    mediaType: z.string().nullish(),
    digest: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'is not a sha256 digest'),
    platform: z.object({ os: z.string().nullish(), architecture: z.string().nullish(), variant: z.string().nullish() }).passthrough().nullish(),
    annotations: z.record(z.string()).nullish(),
  })
  .passthrough();
type Descriptor = z.infer<typeof Descriptor>;

const IndexSchema = z.object({ mediaType: z.string().nullish(), manifests: z.array(Descriptor).nullish() }).passthrough();
const ManifestSchema = z.object({ mediaType: z.string().nullish(), config: Descriptor, layers: z.array(Descriptor) }).passthrough();

const INDEX_TYPES = ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'];
export const REF_NAME = 'org.opencontainers.image.ref.name';
/** Nested indexes deeper than this are an attack, not an image. */
const MAX_NESTING = 4;

export function readOciLayout(dir: string, source: string): ParsedImage[] {
  const index = checked(IndexSchema, parseJson(readMember(dir, 'index.json', 'index.json'), 'index.json', 'index.json'), 'index.json');
  const byName = new Map<string, Descriptor[]>();
  for (const m of index.manifests ?? []) {
    const name = m.annotations?.[REF_NAME] ?? '';
    byName.set(name, [...(byName.get(name) ?? []), m]);
  }
  if (byName.size === 0) throw new CorruptImageError('index.json lists no manifests');
  checkImageCount('index.json', byName.size);
  return [...byName].map(([name, descriptors]) => {
    const manifest = resolveManifest(dir, descriptors, 0);
    checkLayerCount(`the manifest of ${name || 'the image'}`, manifest.layers.length);
    const config = checked(ConfigSchema, blobJson(dir, manifest.config), `config ${manifest.config.digest}`);
    const ids = diffIds(config, manifest.layers.length);
    const { createdBy, ...rest } = configAndHistory(config, manifest.layers.length, basename(source));
    const layers = manifest.layers.map((layer, i) => {
      if (layer.mediaType?.includes('zstd')) throw new KitError(`layer ${layer.digest} is zstd-compressed, which kit cannot read`, 'save the image with gzip or uncompressed layers (e.g. `docker save`, or `skopeo copy --dest-compress-format gzip`)');
      return { member: { root: dir, rel: blobPath(layer.digest) }, diffId: ids[i], blobDigest: layer.digest, createdBy: createdBy[i] };
    });
    return { layers, ...rest, tags: name ? [name] : [] };
  });
}

/** Follow descriptors (and nested indexes) to one image manifest, preferring this machine's platform. */
function resolveManifest(dir: string, manifests: Descriptor[], depth: number): z.infer<typeof ManifestSchema> {
  if (depth > MAX_NESTING) throw new CorruptImageError(`its indexes nest more than ${MAX_NESTING} deep`);
  if (manifests.length === 0) throw new CorruptImageError('an index lists no manifests');
  const arch = goArch();
  const chosen = manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === arch) ?? manifests.find((m) => m.platform?.architecture !== 'unknown') ?? manifests[0];
  const doc = blobJson(dir, chosen) as { mediaType?: string; manifests?: unknown; layers?: unknown };
  if (INDEX_TYPES.includes(chosen.mediaType ?? doc.mediaType ?? '') || (doc.manifests && !doc.layers)) {
    const nested = checked(IndexSchema, doc, `index ${chosen.digest}`);
    return resolveManifest(dir, nested.manifests ?? [], depth + 1);
  }
  return checked(ManifestSchema, doc, `manifest ${chosen.digest}`);
}

/** A JSON blob, checked against its digest before it is parsed. */
function blobJson(dir: string, descriptor: Descriptor): unknown {
  const data = readMember(dir, blobPath(descriptor.digest), `blob ${descriptor.digest}`);
  const digest = `sha256:${sha256Hex(data)}`;
  if (digest !== descriptor.digest) throw new CorruptImageError(`blob ${descriptor.digest} has digest ${digest}`);
  return parseJson(data, descriptor.digest, 'a blob');
}

export function blobPath(digest: string): string {
  const match = /^sha256:([0-9a-f]{64})$/.exec(String(digest));
  if (!match) throw new CorruptImageError(`'${digest}' is not a sha256 digest`);
  return `blobs/sha256/${match[1]}`;
}
