import { KitError } from '../errors';

/**
 * How much one import may unpack. An archive is untrusted input: without a
 * ceiling a 10 KB gzip bomb fills the disk, a million empty entries take an
 * hour, and a path deeper than the kernel allows ends in a raw ENAMETOOLONG.
 * Each limit has a flag; the defaults are far above any real image.
 */
export interface ImportLimits {
  /** Uncompressed bytes: of the archive itself, and of all its layers together (--max-size). */
  maxSize: number;
  /** Tar entries in all the layers together (--max-entries). */
  maxEntries: number;
  /** Bytes of one entry's path, inside the layer (--max-path). */
  maxPath: number;
}

/** Linux's PATH_MAX counts the NUL: a path given to a syscall has at most 4095 bytes. */
export const PATH_MAX = 4096;
/** Linux's NAME_MAX: one path component. */
export const NAME_MAX = 255;

export const DEFAULT_LIMITS: ImportLimits = {
  maxSize: 20 * 1024 ** 3,
  maxEntries: 1_000_000,
  maxPath: PATH_MAX - 1,
};

/**
 * Counts an archive's own metadata may ask for. overlay2 stacks at most
 * MAX_LAYERS layers, Docker's limit (overlayfs itself allows 500; kit's
 * overlay2 in core/storage/overlay2.ts refuses deeper images), so an image
 * listing more is refused at import, not at its first run; and a save
 * listing thousands of images is an attack on time, not a real export
 * (podman save -m and docker save of a whole machine stay far below).
 */
export const MAX_LAYERS = 128;
export const MAX_IMAGES = 256;

/** An archive listing more images than MAX_IMAGES: refused before any is read. */
export function checkImageCount(what: string, count: number): void {
  if (count > MAX_IMAGES) throw new KitError(`${what} lists ${count} images; kit imports at most ${MAX_IMAGES} from one archive, and nothing was stored`, 'save the images in smaller groups');
}

/** An image of more layers than overlay2 stacks: refused at import, not at its first run. */
export function checkLayerCount(what: string, count: number): void {
  if (count > MAX_LAYERS) throw new KitError(`${what} lists ${count} layers; overlay2 stacks at most ${MAX_LAYERS} (Docker's limit), and nothing was stored`, 'squash the image into fewer layers (e.g. `docker export` a container of it) and import that');
}

/** An import stopped at one of its limits: nothing was stored. */
export class LimitError extends KitError {
  constructor(what: string, flag: string) {
    super(`${what}: the import was stopped and nothing was stored`, `if the archive is trusted, raise the limit with ${flag}`);
  }
}

/** What one stream, or all the layers of an import together, have used of the limits. */
export class Budget {
  private bytes = 0;
  private entries = 0;

  constructor(
    readonly limits: ImportLimits,
    /** What is counted, for the message: "the archive", "the image's layers". */
    private readonly what: string,
  ) {}

  addBytes(n: number): void {
    this.bytes += n;
    if (this.bytes > this.limits.maxSize) throw new LimitError(`${this.what} unpack to more than ${formatBytes(this.limits.maxSize)} (--max-size ${this.limits.maxSize})`, '--max-size BYTES');
  }

  addEntry(): void {
    if (++this.entries > this.limits.maxEntries) throw new LimitError(`${this.what} hold more than ${this.limits.maxEntries} tar entries (--max-entries)`, '--max-entries N');
  }
}

export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${n} bytes` : `${Number.isInteger(n) ? n : n.toFixed(1)} ${units[i]}`;
}

/** A limit flag's value: a whole number, with an optional k/m/g/t suffix (powers of 1024) for sizes. */
export function parseLimit(flag: string, value: string, sizes = false): number {
  const match = /^(\d+)([kmgt]?)i?b?$/i.exec(value.trim());
  const unit = match?.[2]?.toLowerCase() ?? '';
  if (!match || (!sizes && unit)) throw new KitError(`${flag} '${value}' is not a ${sizes ? 'size' : 'whole number'}`, sizes ? `use bytes, or a suffix: ${flag} 20g, ${flag} 512m` : `use a whole number, e.g. ${flag} 100000`);
  const n = Number(match[1]) * 1024 ** ' kmgt'.indexOf(unit || ' ');
  if (!(n > 0) || !Number.isSafeInteger(n)) throw new KitError(`${flag} '${value}' is out of range`, `use a positive number`);
  return n;
}
