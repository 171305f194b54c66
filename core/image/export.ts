import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { KitError } from '../errors';
import type { KitPaths } from '../paths';
import { goArch } from './formats/parsed';
import { interruptible } from './interrupts';
import { scratchDir } from './scratch';
import { packLayerFile, packMerged } from './pack';
import type { Image, ImageStore } from './store';
import type { TarHeader } from './tar/header';
import { TarWriter } from './tar/writer';

export type ExportFormat = 'rootfs' | 'docker-save';

/**
 * Write an image as a tarball. `rootfs` is what `docker export` writes: the
 * container's view, layers flattened and whiteouts applied, for `docker
 * import` or `tar -x`. `docker-save` keeps the layers, for `docker load` or
 * `kit image import` to get the same image back. The file appears complete
 * or not at all.
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
    if (format === 'rootfs') await packMerged(image.layers.map((d) => store.layerDir(d)), tar);
    else await writeDockerSave(store, paths, image, tar);
    await tar.finish();
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
  return { bytes: statSync(file).size };
}

/**
 * The `docker save` layout: each layer re-packed as an OCI layer tar
 * (whiteouts as `.wh.` markers), a config JSON listing their digests, and
 * manifest.json tying them together.
 */
async function writeDockerSave(store: ImageStore, paths: KitPaths, image: Image, tar: TarWriter): Promise<void> {
  const scratch = scratchDir(paths, 'export');
  try {
    const layers: Array<{ file: string; digest: string }> = [];
    for (const [i, digest] of image.layers.entries()) {
      const file = join(scratch, `${i}.tar`);
      layers.push({ file, digest: await packLayerFile(store.layerDir(digest), file) });
    }
    const config = Buffer.from(JSON.stringify(configJson(image, layers.map((l) => l.digest))));
    const configName = `${sha256(config)}.json`;
    const manifest = Buffer.from(JSON.stringify([{ Config: configName, RepoTags: [`${image.name}:latest`], Layers: layers.map((l) => `${hex(l.digest)}/layer.tar`) }]));
    for (const layer of layers) {
      await tar.add(entry(`${hex(layer.digest)}/`, 'dir', 0));
      await tar.add(entry(`${hex(layer.digest)}/layer.tar`, 'file', statSync(layer.file).size), createReadStream(layer.file));
    }
    await tar.add(entry(configName, 'file', config.length), config);
    await tar.add(entry('manifest.json', 'file', manifest.length), manifest);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function configJson(image: Image, diffIds: string[]) {
  return {
    architecture: goArch(),
    os: 'linux',
    created: image.created,
    config: image.config,
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: image.history.map((h) => ({ created_by: h.createdBy, ...(h.emptyLayer ? { empty_layer: true } : {}) })),
  };
}

function entry(path: string, type: 'file' | 'dir', size: number): TarHeader {
  return { path, type, mode: type === 'dir' ? 0o755 : 0o644, uid: 0, gid: 0, size, mtime: Math.floor(Date.now() / 1000), linkpath: '', devmajor: 0, devminor: 0 };
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const hex = (digest: string) => digest.replace(/^sha256:/, '');
