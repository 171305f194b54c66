import { chmodSync, existsSync, readdirSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { KitError } from '../errors';
import type { KitPaths } from '../paths';
import { extractTar } from './extract';
import { readDockerSave } from './formats/docker-save';
import { readOciLayout } from './formats/oci-layout';
import { interruptible } from './interrupts';
import { scratchDir } from './scratch';
import { CorruptImageError, type ParsedImage, type ParsedLayer } from './formats/parsed';
import { validateName, type Image, type ImageStore } from './store';
import { openArchive, type Progress } from './tar/archive';
import { TarFormatError } from './tar/header';

export type ImageFormat = 'rootfs' | 'docker-save' | 'oci-layout';

/** Reports reading progress; given a label ("reading busybox.tar"), returns the per-file callback. */
export type ProgressFactory = (label: string) => Progress | undefined;

const EXPECTED = 'kit image import reads a rootfs tar (`docker export`), a `docker save` tar or an OCI image layout tar, gzipped or not';

/**
 * Import an image tarball in any of the three formats Docker tools write.
 * Layers are stored by diffID (sha256 of the uncompressed layer tar), so a
 * layer another image already has is not extracted again.
 */
export function importImage(store: ImageStore, paths: KitPaths, file: string, name: string, progress?: ProgressFactory): Promise<{ image: Image; format: ImageFormat }> {
  return interruptible(() => importFile(store, paths, file, name, progress));
}

async function importFile(store: ImageStore, paths: KitPaths, file: string, name: string, progress?: ProgressFactory): Promise<{ image: Image; format: ImageFormat }> {
  validateName(name);
  if (store.has(name)) throw new KitError(`an image named '${name}' exists`, `pick another --name, or remove it first with \`kit image rm ${name}\``);
  if (!existsSync(file) || !statSync(file).isFile()) throw new KitError(`no file '${file}'`, EXPECTED);
  try {
    return await withUnpacked(paths, file, progress?.(`reading ${basename(file)}`), async (dir, tarDigest) => {
      const format: ImageFormat = existsSync(join(dir, 'manifest.json')) ? 'docker-save' : existsSync(join(dir, 'oci-layout')) && existsSync(join(dir, 'index.json')) ? 'oci-layout' : 'rootfs';
      const parsed = format === 'rootfs' ? rootfsImage(file, dir, tarDigest) : (format === 'docker-save' ? readDockerSave : readOciLayout)(dir, file);
      return { image: await storeImage(store, name, parsed, progress), format };
    });
  } catch (err) {
    if (err instanceof TarFormatError) throw new KitError(`${file}: ${err.message}`, EXPECTED);
    throw err;
  }
}

/**
 * Unpack the archive once into a scratch directory (removed afterwards):
 * a docker-save or OCI archive is then read from it, and a plain rootfs tar
 * already is its only layer, whose digest this pass computed.
 */
async function withUnpacked<T>(paths: KitPaths, file: string, onProgress: Progress | undefined, use: (dir: string, tarDigest: string) => Promise<T>): Promise<T> {
  const dir = scratchDir(paths, 'import');
  try {
    // A rootfs tar without a './' entry leaves / as mkdtemp made it (0700): give it a root's usual mode.
    chmodSync(dir, 0o755);
    const archive = openArchive(file, onProgress);
    await extractTar(archive.entries, dir, { whiteouts: true });
    if (readdirSync(dir).length === 0) throw new TarFormatError('the tar archive is empty');
    return await use(dir, archive.tarDigest());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A `docker export` tar: one layer, no config. */
function rootfsImage(file: string, dir: string, diffId: string): ParsedImage {
  const createdBy = `kit image import ${basename(file)}`;
  return { layers: [{ file, unpacked: dir, diffId, createdBy }], config: {}, history: [{ createdBy }] };
}

/** Store the layers, then the image; on failure, the layers this import added go again. */
async function storeImage(store: ImageStore, name: string, parsed: ParsedImage, progress?: ProgressFactory): Promise<Image> {
  const added: string[] = [];
  try {
    for (const [i, layer] of parsed.layers.entries()) {
      if (!store.hasLayer(layer.diffId)) added.push(layer.diffId);
      await storeLayer(store, layer, progress?.(`layer ${i + 1}/${parsed.layers.length}`));
    }
    const image: Image = { name, layers: parsed.layers.map((l) => l.diffId), config: parsed.config, created: new Date().toISOString(), history: parsed.history };
    store.save(image);
    return image;
  } catch (err) {
    store.removeUnusedLayers(added);
    throw err;
  }
}

/** Extract a layer (whiteouts in overlay form) and check it is the layer the config names. */
async function storeLayer(store: ImageStore, layer: ParsedLayer, onProgress?: Progress): Promise<void> {
  if (!/^sha256:[0-9a-f]{64}$/.test(layer.diffId)) throw new CorruptImageError(`'${layer.diffId}' is not a sha256 layer digest`);
  await store.addLayer(layer.diffId, layer.createdBy, async (dir) => {
    if (layer.unpacked) {
      // Already extracted (and checked) by the first pass: move it into place.
      rmdirSync(dir);
      return renameSync(layer.unpacked, dir);
    }
    const archive = openArchive(layer.file, onProgress);
    await extractTar(archive.entries, dir, { whiteouts: true });
    if (layer.blobDigest && archive.fileDigest() !== layer.blobDigest) throw new CorruptImageError(`blob ${layer.blobDigest} has digest ${archive.fileDigest()}`);
    if (archive.tarDigest() !== layer.diffId) throw new CorruptImageError(`a layer's content has digest ${archive.tarDigest()}, but the config says ${layer.diffId}`);
  });
}
