import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KitError } from '../errors';
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
}

export interface HistoryEntry {
  createdBy: string;
  /** An instruction that changed only the config (ENV, CMD...), no layer. */
  emptyLayer?: boolean;
}

export interface Image {
  name: string;
  /** Layer digests, `sha256:<hex>`, bottom layer first. */
  layers: string[];
  config: ImageConfig;
  created: string;
  history: HistoryEntry[];
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

  /** Write atomically: readers see the old image or the new one, never half. */
  save(image: Image): void {
    validateName(image.name);
    mkdirSync(this.imagesDir, { recursive: true });
    const file = this.imageFile(image.name);
    writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(image, null, 2));
    renameSync(`${file}.${process.pid}.tmp`, file);
  }

  remove(name: string): void {
    this.get(name);
    rmSync(this.imageFile(name));
  }

  /**
   * Delete the layers no image lists any more (after `kit image rm`, or a
   * failed import: then only `candidates`), as Docker does; returns their digests.
   */
  removeUnusedLayers(candidates?: string[]): string[] {
    if (!existsSync(this.layersDir)) return [];
    const used = new Set(this.list().flatMap((i) => i.layers.map(hexOf)));
    const stored = candidates ? candidates.map(hexOf) : readdirSync(this.layersDir).filter((hex) => /^[0-9a-f]{64}$/.test(hex));
    const unused = stored.filter((hex) => !used.has(hex));
    for (const hex of unused) rmSync(join(this.layersDir, hex), { recursive: true, force: true });
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
      rmSync(tmp, { recursive: true, force: true });
    }
  }

  /** Remove a layer (a build that failed drops the layers it added). */
  removeLayer(digest: string): void {
    rmSync(join(this.layersDir, hexOf(digest)), { recursive: true, force: true });
  }

  /** The file that is the image: what an undo record removes for a short-lived image (a build step's). */
  imageFile(name: string): string {
    return join(this.imagesDir, `${name}.json`);
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

function isRenameRace(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOTEMPTY' || code === 'EEXIST';
}
