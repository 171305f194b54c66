import { existsSync, mkdirSync, readlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { KitError } from '../errors';
import { MAX_LAYERS } from '../image/limits';
import type { KitPaths } from '../paths';
import type { HostContext } from '../plan/plan';
import { runningKernelAtLeast } from '../kernel-version';
import { hasFilesystem } from '../support';
import { backingFilesystem } from './backing-fs';
import type { StorageDriver } from './driver';
import { sha256Hex } from '../sha256';

/**
 * overlay2: one overlay mount per container. The image's layers are the
 * read-only lowerdirs (the topmost layer first: overlayfs searches them left
 * to right), the container layer is the upperdir (every write lands there:
 * a file changed is first copied up whole), workdir is overlayfs's scratch
 * space (same filesystem as upperdir) and merged is the union the container
 * sees as /. Nothing is copied when a container is created, so its cost
 * does not depend on the image's size, and every container of an image
 * names the same layer directories.
 *
 * The mount is made on the host, like Docker's, and journaled first, so
 * kit's cleanup (or the next kit after a kill -9) unmounts it.
 */
export const overlay2: StorageDriver = {
  name: 'overlay2',
  unsupported(paths?: KitPaths): string | undefined {
    if (process.getuid?.() !== 0) return 'kit mounts overlay on the host, and that needs root';
    if (!hasFilesystem('overlay')) return 'this kernel has no overlay filesystem (grep overlay /proc/filesystems; try `modprobe overlay`)';
    const backing = paths && backingFilesystem(paths.data);
    if (backing === 'overlay' || backing === 'aufs') {
      return `kit's data dir ${paths?.data} is on ${backing}: overlayfs cannot use an upper dir on ${backing}`;
    }
    return undefined;
  },
  createRootfs(ctx: HostContext, layers: string[], dir: string, keep = true): string {
    if (layers.length === 0) throw new KitError('the image has no layers: overlay needs at least one lowerdir');
    if (layers.length > MAX_LAYERS) throw new KitError(`the image has ${layers.length} layers; overlay2 stacks at most ${MAX_LAYERS} (Docker's limit)`, 'squash some layers: `kit commit` a container of it');
    const dirs = { upper: join(dir, 'diff'), work: join(dir, 'work'), merged: join(dir, 'merged') };
    for (const [role, path] of Object.entries(dirs)) makeDir(ctx, path, `overlay2: the container's ${role} dir`);
    const options = mountOptions(ctx, [...layers].reverse(), { ...dirs, volatile: !keep && volatileSupported() });
    mountOverlay(ctx, options, dirs.merged);
    return dirs.merged;
  },
  upperDir: (dir) => join(dir, 'diff'),
  rootfsDir: (dir) => join(dir, 'merged'),
};

/**
 * mount(2) copies at most one page of options into the kernel, NUL included.
 * 4096 is the page on x86-64 and most arm64 systems (bigger pages only allow more).
 */
export const PAGE_SIZE = 4096;

interface OverlayDirs {
  upper: string;
  work: string;
  merged: string;
  /** Mount with overlayfs' volatile option (see VOLATILE_KERNEL). */
  volatile?: boolean;
}

/**
 * overlayfs' `volatile` option (Linux 5.10): the mount ignores fsync and
 * syncfs, and its unmount does not sync the upper dir's whole filesystem
 * (without it, the umount of every container waits for a syncfs of the disk
 * kit's data dir is on, with whatever else is being written to it: 1 to 70
 * ms measured on a shared machine). kit uses it for a layer removed when
 * the container ends (`--rm`, an unnamed foreground run, chapters), as
 * podman does for `--rm` and CRI-O for every container: after a crash the
 * layer is removed by the journal, never mounted again, so no write it lost
 * could be missed.
 */
const VOLATILE_KERNEL = '5.10';

function volatileSupported(): boolean {
  return runningKernelAtLeast(VOLATILE_KERNEL);
}

/** How the options were made to fit in one page, and from where the mount runs. */
export interface OverlayOptions {
  data: string;
  /** Mount from this working directory (the options use paths relative to it). */
  chdir?: string;
  why: string;
}

/**
 * Three ways, tried in order, to name the layers in one page:
 * 1. the layer directories themselves (easiest to read);
 * 2. Docker's short links: <data>/l/<26 chars> -> the layer, one per layer;
 * 3. the short links relative to <data>, mounting after chdir(<data>): what
 *    Docker does (mountFrom) when even the links make the string too long.
 */
export function mountOptions(ctx: HostContext, lowersTopFirst: string[], dirs: OverlayDirs): OverlayOptions {
  const optionString = (lowers: string[], upper: string, work: string) => `lowerdir=${lowers.join(':')},upperdir=${upper},workdir=${work}${dirs.volatile ? ',volatile' : ''}`;
  const volatile = dirs.volatile ? '; volatile: the layer goes with the container, so overlay skips fsync and the sync at unmount' : '';
  const plain = optionString(lowersTopFirst, dirs.upper, dirs.work);
  if (fits(plain)) return { data: plain, why: `overlay2: mount ${lowersTopFirst.length} layer(s) (topmost first) under the container's upper dir${volatile}` };
  const links = lowersTopFirst.map((layer) => shortLink(ctx, layer));
  const absolute = optionString(links, dirs.upper, dirs.work);
  if (fits(absolute)) {
    return { data: absolute, why: `overlay2: ${plain.length} bytes of layer paths exceed a page (${PAGE_SIZE}): name each layer by its short link in ${linkDir(ctx.paths)}${volatile}` };
  }
  const base = ctx.paths.data;
  const rel = (p: string) => relative(base, p);
  const relativeData = optionString(links.map(rel), rel(dirs.upper), rel(dirs.work));
  if (!fits(relativeData)) throw new KitError(`overlay2: even relative layer paths need ${relativeData.length} bytes of mount options, more than a page (${PAGE_SIZE})`);
  return {
    data: relativeData,
    chdir: base,
    why: `overlay2: ${absolute.length} bytes even with short links: chdir to ${base} and use relative paths, as Docker's mountFrom does${volatile}`,
  };
}

function fits(data: string): boolean {
  return Buffer.byteLength(data) <= PAGE_SIZE - 1;
}

export function linkDir(paths: KitPaths): string {
  return join(paths.data, 'l');
}

/**
 * A layer's short link, made on first use and kept with the layers (it is
 * part of the store, not of one container). Its name derives from the
 * layer's path, so concurrent kit processes agree on it.
 */
function shortLink(ctx: HostContext, layer: string): string {
  const id = sha256Hex(layer).slice(0, 26).toUpperCase();
  const link = join(linkDir(ctx.paths), id);
  if (existsSync(link) && readlinkSync(link) === layer) return link;
  mkdirSync(dirname(link), { recursive: true });
  const ret = ctx.trace.host(`overlay2: short link ${id} for layer ${layer}`, (n) => n.symlink(layer, link));
  const EEXIST = -17;
  if (ret < 0 && ret !== EEXIST) throw ctx.trace.errorFromLast();
  return link;
}

function makeDir(ctx: HostContext, path: string, why: string): void {
  if (existsSync(path)) return; // kept from an earlier start of this container
  mkdirSync(dirname(path), { recursive: true });
  ctx.trace.check(why, (n) => n.mkdir(path, 0o755));
}

function mountOverlay(ctx: HostContext, options: OverlayOptions, merged: string): void {
  ctx.changes.make({ op: 'umount', path: merged }, () => {
    if (!options.chdir) {
      ctx.trace.check(options.why, (n) => n.mount('overlay', merged, 'overlay', 0, options.data));
      return;
    }
    const back = process.cwd();
    ctx.trace.check(options.why, (n) => n.chdir(options.chdir as string));
    try {
      ctx.trace.check(options.why, (n) => n.mount('overlay', merged, 'overlay', 0, options.data));
    } finally {
      ctx.trace.check('overlay2: back to kit\'s own working directory', (n) => n.chdir(back));
    }
  });
}
