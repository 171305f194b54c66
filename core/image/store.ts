import { imageName } from './names';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeAll } from '../host/remove-tree';
import { KitError } from '../errors';
import { isAlive, self } from '../host/process';
import type { KitPaths } from '../paths';

/**
 * "An image is in essence a tarball": kit keeps each image as a list of
 * layers (bottom first) plus the config Docker keeps (Cmd, Entrypoint, Env,
 * WorkingDir). Layers are stored once, by digest, as extracted directories,
 * so overlay can stack them directly and images share them.
 *
 *   <data>/images/<name>.json        the image (Image below)
 *   <data>/layers/<hex>/diff/        the layer's files (whiteouts in overlay form)
 *   <data>/layers/<hex>/layer.json   { digest, createdBy }
 */
export interface ImageConfig {
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  WorkingDir?: string;
  /** USER: who the command runs as unless -u says otherwise (UID[:GID] or NAME[:GROUP], from the image's /etc/passwd). */
  User?: string;
  /** EXPOSE: the ports the image says it listens on ("80/tcp"), published by `kit run -P`. */
  ExposedPorts?: string[];
}

export interface HistoryEntry {
  createdBy: string;
  /** An instruction that changed only the config (ENV, CMD...), no layer. */
  emptyLayer?: boolean;
}

/** What an image's programs were built for, as its config says (Go's names: amd64, arm64; v7...). */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Image {
  name: string;
  /** Layer digests, `sha256:<hex>`, bottom layer first. */
  layers: string[];
  config: ImageConfig;
  created: string;
  history: HistoryEntry[];
  /** Unset for images kit built from this host's programs (they run here). */
  platform?: Platform;
}

export class ImageStore {
  constructor(private readonly paths: KitPaths) {}

  private get imagesDir(): string {
    return join(this.paths.data, 'images');
  }

  private get layersDir(): string {
    return join(this.paths.data, 'layers');
  }

  list(): Image[] {
    if (!existsSync(this.imagesDir)) return [];
    return readdirSync(this.imagesDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(this.imagesDir, f), 'utf8')) as Image)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  has(name: string): boolean {
    return existsSync(this.imageFile(name));
  }

  get(name: string): Image {
    if (!this.has(name)) {
      const names = this.list().map((i) => i.name);
      throw new KitError(`no image '${name}'`, `available images: ${names.join(', ') || 'none'} (see \`kit image ls\`)`);
    }
    return JSON.parse(readFileSync(this.imageFile(name), 'utf8')) as Image;
  }

  /**
   * Write atomically: readers see the old image or the new one, never half.
   * With replace=false (an import) the name is taken with link(2), which
   * fails if it exists: of two imports racing for one name exactly one wins.
   */
  save(image: Image, replace = true): void {
    validateName(image.name);
    mkdirSync(this.imagesDir, { recursive: true });
    const file = this.imageFile(image.name);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(image, null, 2));
    if (replace) return renameSync(tmp, file);
    try {
      linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw nameTaken(image.name);
      throw err;
    } finally {
      rmSync(tmp, { force: true });
    }
  }

  /**
   * Claim a name for the length of an import or build: a second kit asking
   * for the same name gets a clear error at once, not after its work. A
   * claim whose kit died (kill -9) is taken over. Returns the release.
   */
  claim(ref: string): () => void {
    const name = imageName(ref);
    validateName(name);
    mkdirSync(this.imagesDir, { recursive: true });
    const file = join(this.imagesDir, `.claim-${name}`);
    const me = self();
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(file, `${me.pid} ${me.startTime}\n`, { flag: 'wx' });
        return () => rmSync(file, { force: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const [pid, startTime] = readFileSync(file, 'utf8').trim().split(' ').map(Number);
        if (pid && isAlive({ pid, startTime })) throw new KitError(`another kit (pid ${pid}) is importing or building an image named '${name}'`, 'wait for it to finish, or pick another name');
        rmSync(file, { force: true }); // its kit died: the claim is stale
      }
    }
    throw new KitError(`cannot claim the image name '${name}'`, 'try again');
  }

  remove(name: string): void {
    this.get(name);
    rmSync(this.imageFile(name));
  }

  /**
   * Delete the layers no image lists any more (after `kit image rm`, or a
   * failed import: then only `candidates`), as Docker does; returns their digests.
   */
  removeUnusedLayers(candidates?: string[], alsoUsed: string[] = []): string[] {
    if (!existsSync(this.layersDir)) return [];
    const used = new Set([...this.list().flatMap((i) => i.layers), ...alsoUsed].map(hexOf));
    const stored = candidates ? candidates.map(hexOf) : readdirSync(this.layersDir).filter((hex) => /^[0-9a-f]{64}$/.test(hex));
    const unused = stored.filter((hex) => !used.has(hex));
    for (const hex of unused) removeAll(join(this.layersDir, hex));
    return unused.map((hex) => `sha256:${hex}`);
  }

  /** The directory holding a layer's files. */
  layerDir(digest: string): string {
    return join(this.layersDir, hexOf(digest), 'diff');
  }

  /** The directories of an image's layers, bottom first (what a storage driver stacks). */
  layerDirs(image: Image): string[] {
    return image.layers.map((digest) => this.layerDir(digest));
  }

  hasLayer(digest: string): boolean {
    return existsSync(this.layerDir(digest));
  }

  /**
   * Store a layer: `fill` writes its files into a fresh directory, which is
   * then renamed into place, so a layer is either complete or absent, and two
   * kit processes adding the same layer at once both end up with one copy.
   */
  async addLayer(digest: string, createdBy: string, fill: (dir: string) => void | Promise<void>): Promise<void> {
    if (this.hasLayer(digest)) return;
    const tmp = join(this.layersDir, `.tmp-${hexOf(digest)}-${process.pid}-${Date.now()}`);
    mkdirSync(join(tmp, 'diff'), { recursive: true });
    try {
      await fill(join(tmp, 'diff'));
      writeFileSync(join(tmp, 'layer.json'), JSON.stringify({ digest, createdBy }, null, 2));
      renameSync(tmp, join(this.layersDir, hexOf(digest)));
    } catch (err) {
      if (!this.hasLayer(digest) || !isRenameRace(err)) throw err;
    } finally {
      removeAll(tmp);
    }
  }

  /**
   * Store a layer whose digest is known only once it was read (an imported
   * tar): `fill` writes the files into a fresh directory and returns the
   * digest of what it read. The layer is then stored under that digest, or,
   * when the store has it already, the copy just read (and checked) is
   * dropped: dedup is keyed by what was read, never by what a manifest says.
   */
  async addReadLayer(createdBy: string, fill: (dir: string) => Promise<string>): Promise<{ digest: string; isNew: boolean }> {
    const tmp = join(this.layersDir, `.tmp-import-${process.pid}-${Date.now()}-${Math.random().toString(16).slice(2, 10)}`);
    mkdirSync(join(tmp, 'diff'), { recursive: true });
    try {
      const digest = await fill(join(tmp, 'diff'));
      if (this.hasLayer(digest)) return { digest, isNew: false };
      writeFileSync(join(tmp, 'layer.json'), JSON.stringify({ digest, createdBy }, null, 2));
      try {
        renameSync(tmp, join(this.layersDir, hexOf(digest)));
      } catch (err) {
        if (!this.hasLayer(digest) || !isRenameRace(err)) throw err;
        return { digest, isNew: false };
      }
      return { digest, isNew: true };
    } finally {
      removeAll(tmp);
    }
  }

  /** Remove a layer (a build that failed drops the layers it added). */
  removeLayer(digest: string): void {
    removeAll(join(this.layersDir, hexOf(digest)));
  }

  /** The file that is the image: what an undo record removes for a short-lived image (a build step's). */
  imageFile(name: string): string {
    return join(this.imagesDir, `${imageName(name)}.json`);
  }
}

function hexOf(digest: string): string {
  const hex = digest.replace(/^sha256:/, '');
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new KitError(`'${digest}' is not a sha256 layer digest`);
  return hex;
}

export function validateName(name: string): void {
  if (!/^[a-z0-9][a-z0-9_.-]{0,127}$/.test(name)) {
    throw new KitError(`'${name}' is not a valid image name`, 'use lowercase letters, digits, and . _ - (like `busybox` or `my-app`)');
  }
}

export function nameTaken(name: string): KitError {
  return new KitError(`an image named '${name}' exists`, `pick another --name, or remove it first with \`kit image rm ${name}\``);
}

function isRenameRace(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOTEMPTY' || code === 'EEXIST';
}
