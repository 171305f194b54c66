import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { removeAll } from '../host/remove-tree';
import { KitError } from '../errors';
import type { KitPaths } from '../paths';
import { REF_NAME } from './formats/oci-layout';
import { goArch } from './formats/arch';
import { interruptible } from './interrupts';
import { scratchDir } from './scratch';
import { packLayerFile, packMerged } from './pack';
import type { Image, ImageStore } from './store';
import type { TarHeader } from './tar/header';
import { TarWriter } from './tar/writer';
import { sha256Hex } from '../sha256';

export type ExportFormat = 'rootfs' | 'docker-save' | 'oci';

/**
 * Write an image as a tarball. `rootfs` is what `docker export` writes: the
 * container's view, layers flattened and whiteouts applied, for `docker
 * import` or `tar -x`. `docker-save` keeps the layers, for `docker load` or
 * `kit image import` to get the same image back; `oci` writes an OCI image
 * layout archive (what `podman save --format oci-archive` writes), for
 * `podman load`, `skopeo copy oci-archive:FILE ...` or `kit image import`.
 * The file appears complete or not at all.
 */
export function exportImage(store: ImageStore, paths: KitPaths, name: string, file: string, format: ExportFormat): Promise<{ bytes: number }> {
  return interruptible(() => exportFile(store, paths, name, file, format));
}

async function exportFile(store: ImageStore, paths: KitPaths, name: string, file: string, format: ExportFormat): Promise<{ bytes: number }> {
  if (!existsSync(dirname(resolve(file))) || (existsSync(file) && statSync(file).isDirectory())) {
    throw new KitError(`cannot write '${file}'`, 'give -o a file path in an existing directory');
  }
  const image = store.get(name);
  const partial = `${file}.kit-partial-${process.pid}`;
  try {
    const tar = new TarWriter(createWriteStream(partial));
    await writeImage(store, paths, image, tar, format);
    await tar.finish();
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
  return { bytes: statSync(file).size };
}

/**
 * The same tarball written to `out` as it is made, then `out` ended: `kit
 * save IMAGE > FILE` or `| docker load`, as docker save writes to its
 * stdout. No file appears whole here: a reader of a run that was stopped
 * gets an archive cut short, which every reader refuses. An unknown image
 * fails before the first byte.
 */
export function exportImageTo(store: ImageStore, paths: KitPaths, name: string, out: Writable, format: ExportFormat): Promise<void> {
  return interruptible(async () => {
    const image = store.get(name);
    const tar = new TarWriter(out);
    await writeImage(store, paths, image, tar, format);
    await tar.finish();
  });
}

function writeImage(store: ImageStore, paths: KitPaths, image: Image, tar: TarWriter, format: ExportFormat): Promise<void> {
  if (format === 'rootfs') return packMerged(image.layers.map((d) => store.layerDir(d)), tar);
  if (format === 'oci') return writeOciLayout(store, paths, image, tar);
  return writeDockerSave(store, paths, image, tar);
}

/**
 * The `docker save` layout: each layer re-packed as an OCI layer tar
 * (whiteouts as `.wh.` markers), a config JSON listing their digests, and
 * manifest.json tying them together.
 */
async function writeDockerSave(store: ImageStore, paths: KitPaths, image: Image, tar: TarWriter): Promise<void> {
  await withPackedLayers(store, paths, image, async (layers) => {
    const config = Buffer.from(JSON.stringify(configJson(image, layers.map((l) => l.digest))));
    const configName = `${sha256Hex(config)}.json`;
    const manifest = Buffer.from(JSON.stringify([{ Config: configName, RepoTags: [`${image.name}:latest`], Layers: layers.map((l) => `${hex(l.digest)}/layer.tar`) }]));
    for (const layer of layers) {
      await tar.add(entry(`${hex(layer.digest)}/`, 'dir', 0));
      await tar.add(entry(`${hex(layer.digest)}/layer.tar`, 'file', statSync(layer.file).size), createReadStream(layer.file));
    }
    await tar.add(entry(configName, 'file', config.length), config);
    await tar.add(entry('manifest.json', 'file', manifest.length), manifest);
  });
}

/** Each layer packed as an OCI layer tar in a scratch dir, for `use`; removed afterwards. */
async function withPackedLayers(store: ImageStore, paths: KitPaths, image: Image, use: (layers: Array<{ file: string; digest: string }>) => Promise<void>): Promise<void> {
  const scratch = scratchDir(paths, 'export');
  try {
    const layers: Array<{ file: string; digest: string }> = [];
    for (const [i, digest] of image.layers.entries()) {
      const file = join(scratch, `${i}.tar`);
      layers.push({ file, digest: await packLayerFile(store.layerDir(digest), file) });
    }
    await use(layers);
  } finally {
    removeAll(scratch);
  }
}

/**
 * The OCI image layout, as one tar: `oci-layout`, `index.json` naming the
 * manifest (its ref.name annotation is the image's name), and every
 * document and layer under `blobs/sha256/`, named by its own digest. Layers
 * are uncompressed, so each blob digest is also the layer's diffID.
 */
async function writeOciLayout(store: ImageStore, paths: KitPaths, image: Image, tar: TarWriter): Promise<void> {
  await withPackedLayers(store, paths, image, async (layers) => {
    const config = Buffer.from(JSON.stringify(configJson(image, layers.map((l) => l.digest))));
    const descriptor = (mediaType: string, data: Buffer | string, size?: number) => ({ mediaType, digest: typeof data === 'string' ? data : `sha256:${sha256Hex(data)}`, size: size ?? (data as Buffer).length });
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI.manifest,
        config: descriptor(OCI.config, config),
        layers: layers.map((l) => descriptor(OCI.layer, l.digest, statSync(l.file).size)),
      }),
    );
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI.index, manifests: [{ ...descriptor(OCI.manifest, manifest), annotations: { [REF_NAME]: `${image.name}:latest` } }] }));
    const layout = Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    await tar.add(entry('oci-layout', 'file', layout.length), layout);
    await tar.add(entry('blobs/', 'dir', 0));
    await tar.add(entry('blobs/sha256/', 'dir', 0));
    for (const layer of layers) await tar.add(entry(`blobs/sha256/${hex(layer.digest)}`, 'file', statSync(layer.file).size), createReadStream(layer.file));
    for (const doc of [config, manifest]) await tar.add(entry(`blobs/sha256/${sha256Hex(doc)}`, 'file', doc.length), doc);
    await tar.add(entry('index.json', 'file', index.length), index);
  });
}

const OCI = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar',
};

function configJson(image: Image, diffIds: string[]) {
  return {
    architecture: image.platform?.architecture || goArch(),
    os: image.platform?.os || 'linux',
    ...(image.platform?.variant ? { variant: image.platform.variant } : {}),
    created: image.created,
    config: image.config,
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: image.history.map((h) => ({ created_by: h.createdBy, ...(h.emptyLayer ? { empty_layer: true } : {}) })),
  };
}

function entry(path: string, type: 'file' | 'dir', size: number): TarHeader {
  return { path, type, mode: type === 'dir' ? 0o755 : 0o644, uid: 0, gid: 0, size, mtime: Math.floor(Date.now() / 1000), linkpath: '', devmajor: 0, devminor: 0 };
}

const hex = (digest: string) => digest.replace(/^sha256:/, '');
