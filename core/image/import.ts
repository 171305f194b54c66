import { closeSync, constants, fstatSync, openSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, chmodSync } from 'node:fs';
import { basename } from 'node:path';
import { removeAll } from '../host/remove-tree';
import { KitError } from '../errors';
import type { KitPaths } from '../paths';
import { extractTar } from './extract';
import { goArch } from './formats/arch';
import { CorruptImageError } from './formats/corrupt';
import type * as DockerSave from './formats/docker-save';
import { hasMember, openMember, resolveMember } from './formats/member';
import type * as OciLayout from './formats/oci-layout';
import type { ParsedImage, ParsedLayer } from './formats/parsed';
import { interruptible } from './interrupts';
import { Budget, DEFAULT_LIMITS, type ImportLimits } from './limits';
import { nameFromTag } from './names';
import { removeOrphanedLayers } from './remove';
import { scratchDir } from './scratch';
import { nameTaken, validateName, type Image, type ImageStore } from './store';
import { openArchive, type Progress } from './tar/archive';
import { TarFormatError } from './tar/header';

export type ImageFormat = 'rootfs' | 'docker-save' | 'docker-save-legacy' | 'oci-layout';

/** Reports reading progress; given a label ("reading busybox.tar"), returns the per-file callback. */
export type ProgressFactory = (label: string) => Progress | undefined;

export interface ImportOptions {
  /** The name to store it as; with a save of several images, which one to import. */
  name?: string;
  limits?: ImportLimits;
  progress?: ProgressFactory;
  /**
   * As `docker load`: a name that exists moves to the loaded image (kit's
   * import refuses it). The old image's layers go unless another image or a
   * container still uses them.
   */
  replace?: boolean;
}

export interface ImportResult {
  images: Image[];
  format: ImageFormat;
  /** Said at import, as Docker does: an image for another platform. */
  warnings: string[];
  /** With `replace`: the names that named another image before. */
  replaced: string[];
}

const EXPECTED = 'kit image import reads a rootfs tar (`docker export`), a `docker save` tar (any version), an OCI archive (`podman save --format oci-archive`) or an OCI layout directory (`skopeo copy ... oci:DIR`), gzipped or not';

/**
 * Import an image tarball (or OCI layout directory) in any of the formats
 * Docker, podman and skopeo write. Layers are stored by diffID (sha256 of
 * the uncompressed layer tar, as read), so a layer another image already has
 * is stored once. Nothing is stored unless every image and layer was read.
 */
export function importImage(store: ImageStore, paths: KitPaths, source: string, options: ImportOptions = {}): Promise<ImportResult> {
  return interruptible(() => importSource(store, paths, source, options));
}

async function importSource(store: ImageStore, paths: KitPaths, source: string, options: ImportOptions): Promise<ImportResult> {
  if (options.name) validateName(options.name);
  const limits = options.limits ?? DEFAULT_LIMITS;
  const stat = statSync(source, { throwIfNoEntry: false });
  if (!stat) throw new KitError(`no file '${source}'`, EXPECTED);
  try {
    if (stat.isDirectory()) {
      const parsed = readLayout(source, source);
      if (!parsed) throw new KitError(`'${source}' is a directory but not an OCI image layout (no oci-layout or index.json)`, EXPECTED);
      return await storeImages(store, paths, parsed.images, parsed.format, options, limits);
    }
    const fd = openInput(source);
    const dir = scratchDir(paths, 'import');
    try {
      // A rootfs tar without a './' entry leaves / as mkdtemp made it (0700): give it a root's usual mode.
      chmodSync(dir, 0o755);
      const budget = new Budget(limits, 'the archive would');
      const archive = openArchive(fd, { onProgress: options.progress?.(`reading ${basename(source)}`), budget });
      await extractTar(archive.entries, dir, { whiteouts: true, budget });
      if (readdirSync(dir).length === 0) throw new TarFormatError('the tar archive is empty');
      const parsed = readLayout(dir, source) ?? { images: [rootfsImage(source, dir, archive.tarDigest())], format: 'rootfs' as const };
      return await storeImages(store, paths, parsed.images, parsed.format, options, limits);
    } finally {
      removeAll(dir);
    }
  } catch (err) {
    if (err instanceof TarFormatError) throw new KitError(`${source}: ${err.message}`, EXPECTED);
    throw err;
  }
}

/**
 * The file to import, opened without blocking: a FIFO or a device given as
 * the archive is refused before any read (opening a FIFO would wait for a
 * writer that may never come, and Ctrl-C could not stop it).
 */
function openInput(file: string): number {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new KitError(`'${file}' is not a regular file`, EXPECTED);
  }
  return fd;
}

/*
 * The readers of saves, loaded for a save only: they and zod, their
 * schemas' library, are a good part of the start-up of an import of a
 * plain root filesystem, which needs none of them.
 */
const dockerSave = () => require('./formats/docker-save') as typeof DockerSave;
const ociLayout = () => require('./formats/oci-layout') as typeof OciLayout;

/**
 * What kind of save an unpacked archive is, by its shape. An archive that
 * looks like a save (manifest.json; an OCI layout: `oci-layout` or
 * `index.json`; a legacy `repositories`, or `<id>/layer.tar`) is read as one
 * or refused: never guessed to be a root filesystem. Undefined: a plain root
 * filesystem.
 */
function readLayout(dir: string, source: string): { images: ParsedImage[]; format: ImageFormat } | undefined {
  const top = readdirSync(dir);
  if (hasMember(dir, 'manifest.json')) return { images: dockerSave().readDockerSave(dir, source), format: 'docker-save' };
  if (hasMember(dir, 'oci-layout') || hasMember(dir, 'index.json')) return { images: ociLayout().readOciLayout(dir, source), format: 'oci-layout' };
  if (hasMember(dir, 'repositories') || top.some((name) => /^[0-9a-f]{64}$/.test(name) && hasMember(dir, `${name}/layer.tar`))) {
    return { images: dockerSave().readLegacySave(dir, top, source), format: 'docker-save-legacy' };
  }
  for (const marker of ['manifest.json', 'index.json', 'oci-layout', 'repositories']) {
    if (top.includes(marker)) resolveMember(dir, marker, marker); // throws: why it is no file kit may read
  }
  if (top.includes('blobs')) throw new CorruptImageError("it has a blobs/ directory (an OCI layout) but no 'index.json'");
  return undefined;
}

/** A `docker export` tar: one layer, no config. */
function rootfsImage(file: string, dir: string, diffId: string): ParsedImage {
  const createdBy = `kit image import ${basename(file)}`;
  return { layers: [{ unpacked: dir, diffId, createdBy }], config: {}, history: [{ createdBy }], tags: [] };
}

/** The images to store, with their names: --name, or each image's own (RepoTags). */
function chooseImages(images: ParsedImage[], name: string | undefined): Array<{ parsed: ParsedImage; name: string }> {
  const named = (p: ParsedImage) => p.tags.map(nameFromTag).filter((n): n is string => !!n);
  if (images.length === 1) {
    const chosen = name ?? named(images[0])[0];
    if (!chosen) throw new KitError('the archive does not name its image', 'give it a name with --name NAME');
    return [{ parsed: images[0], name: chosen }];
  }
  const all = images.map((p, i) => p.tags[0] ?? `(untagged image ${i + 1})`);
  const choices = all.length <= 8 ? all.join(', ') : `${all.slice(0, 8).join(', ')} and ${all.length - 8} more`;
  if (name) {
    const match = images.find((p) => p.tags.includes(name) || named(p).includes(name));
    if (!match) throw new KitError(`the archive holds ${images.length} images (${choices}) and --name ${name} names none of them`, 'pick one by its name with --name, or leave --name out to import them all under their own names');
    return [{ parsed: match, name }];
  }
  const untagged = images.filter((p) => named(p).length === 0);
  if (untagged.length) throw new KitError(`the archive holds ${images.length} images and ${untagged.length} of them has no name (${choices})`, 'import one at a time with --name NAME');
  return images.map((parsed) => ({ parsed, name: named(parsed)[0] }));
}

/**
 * Claim every name, store every layer, then save the images; on failure,
 * remove what this import added and put back what it replaced.
 */
async function storeImages(store: ImageStore, paths: KitPaths, images: ParsedImage[], format: ImageFormat, options: ImportOptions, limits: ImportLimits): Promise<ImportResult> {
  const targets = chooseImages(images, options.name);
  const releases: Array<() => void> = [];
  const added: string[] = [];
  const saved: string[] = [];
  const previous = new Map<string, Image>();
  try {
    for (const t of targets) {
      validateName(t.name);
      releases.push(store.claim(t.name));
      if (!store.has(t.name)) continue;
      if (!options.replace) throw nameTaken(t.name);
      previous.set(t.name, store.get(t.name));
    }
    const budget = new Budget(limits, "the image's layers would");
    const stored: Image[] = [];
    const read = new ReadLayers();
    for (const { parsed, name } of targets) {
      const layers: string[] = [];
      for (const [i, layer] of parsed.layers.entries()) {
        const digest = read.known(layer) ?? (await storeLayer(store, layer, budget, options.progress?.(`${name}: layer ${i + 1}/${parsed.layers.length}`)));
        if (digest.isNew) added.push(digest.digest);
        read.add(layer, digest.digest);
        layers.push(digest.digest);
      }
      stored.push({ name, layers, config: parsed.config, created: new Date().toISOString(), history: parsed.history, ...(parsed.platform ? { platform: parsed.platform } : {}) });
    }
    for (const image of stored) {
      store.save(image, previous.has(image.name));
      saved.push(image.name);
    }
    removeOrphanedLayers(paths, [...previous.values()].flatMap((image) => image.layers));
    return { images: stored, format, warnings: stored.flatMap(platformWarning), replaced: [...previous.keys()] };
  } catch (err) {
    for (const name of saved) {
      const old = previous.get(name);
      if (old) store.save(old, true);
      else rmSync(store.imageFile(name), { force: true });
    }
    store.removeUnusedLayers(added);
    throw err;
  } finally {
    for (const release of releases) release();
  }
}

/**
 * The layer files this import has read already, by their place in the
 * archive: images of one save share layers, and a manifest may list one
 * file many times (by other names or links too), but each is extracted and verified once. A second use
 * must name the same digests the first one was verified against.
 */
class ReadLayers {
  private readonly byMember = new Map<string, { diffId: string; blobDigest?: string }>();

  known(layer: ParsedLayer): { digest: string; isNew: false } | undefined {
    if (!layer.member) return undefined;
    const seen = this.byMember.get(fileKey(layer.member));
    if (!seen) return undefined;
    if (layer.diffId && layer.diffId !== seen.diffId) throw new CorruptImageError(`a layer's content has digest ${seen.diffId}, but the config says ${layer.diffId}`);
    if (layer.blobDigest && seen.blobDigest && layer.blobDigest !== seen.blobDigest) throw new CorruptImageError(`blob ${layer.blobDigest} has digest ${seen.blobDigest}`);
    return { digest: seen.diffId, isNew: false };
  }

  add(layer: ParsedLayer, diffId: string): void {
    if (layer.member) this.byMember.set(fileKey(layer.member), { diffId, blobDigest: layer.blobDigest });
  }
}

/** The file itself (device and inode), whatever name or link the manifest reached it by. */
function fileKey(member: { root: string; rel: string }): string {
  const { stat } = resolveMember(member.root, member.rel, 'layer');
  return `${stat.dev}:${stat.ino}`;
}

/**
 * Extract a layer (whiteouts in overlay form) and check it is the layer the
 * manifest names: both the stored file's digest (an OCI blob) and the
 * uncompressed tar's (the diffID) are computed from what was read.
 */
async function storeLayer(store: ImageStore, layer: ParsedLayer, budget: Budget, onProgress?: Progress): Promise<{ digest: string; isNew: boolean }> {
  return store.addReadLayer(layer.createdBy, async (dir) => {
    if (layer.unpacked) {
      // Already extracted (and checked) by the first pass: move it into place.
      rmdirSync(dir);
      renameSync(layer.unpacked, dir);
      return layer.diffId as string;
    }
    const { root, rel } = layer.member as { root: string; rel: string };
    const { fd } = openMember(root, rel, 'layer');
    const archive = openArchive(fd, { onProgress, budget });
    await extractTar(archive.entries, dir, { whiteouts: true, budget });
    if (layer.blobDigest && archive.fileDigest() !== layer.blobDigest) throw new CorruptImageError(`blob ${layer.blobDigest} has digest ${archive.fileDigest()}`);
    if (layer.diffId && archive.tarDigest() !== layer.diffId) throw new CorruptImageError(`a layer's content has digest ${archive.tarDigest()}, but the config says ${layer.diffId}`);
    return archive.tarDigest();
  });
}

/** Docker's warning at import: the image's platform does not match this host's. */
function platformWarning(image: Image): string[] {
  const p = image.platform;
  if (!p || (p.os === 'linux' && p.architecture === goArch()) || !p.architecture) return [];
  return [`image '${image.name}' is for ${platformName(p)}; this host is linux/${goArch()}: it will not run here without emulation (binfmt_misc with qemu-user-static)`];
}

export function platformName(p: { os: string; architecture: string; variant?: string }): string {
  return [p.os || 'linux', p.architecture, p.variant].filter(Boolean).join('/');
}
