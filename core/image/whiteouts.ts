import { lstatSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { TraceRecorder } from '../trace/recorder';
import type { TarHeader } from './tar/header';

/**
 * A layer must be able to delete what a lower layer has. Image tars (OCI,
 * `docker save`) say so with marker files; overlayfs says so with special
 * inodes. kit stores layers in overlay's form, so they can be stacked
 * directly, and turns them back into markers when it writes a tar.
 *
 *   OCI tar entry                overlay form in the layer directory
 *   dir/.wh.<name>               dir/<name>: char device 0/0 ("whiteout")
 *   dir/.wh..wh..opq             dir: xattr trusted.overlay.opaque = "y"
 *                                (hides everything lower layers have in dir)
 */
export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';
export const OPAQUE_XATTR = 'trusted.overlay.opaque';

export type OciMarker = { kind: 'opaque' } | { kind: 'whiteout'; name: string };

/** What a tar entry's last path component means, if it is an OCI marker. */
export function ociMarker(basename: string): OciMarker | undefined {
  if (!basename.startsWith(WHITEOUT_PREFIX)) return undefined;
  if (basename === OPAQUE_MARKER) return { kind: 'opaque' };
  const name = basename.slice(WHITEOUT_PREFIX.length);
  if (!name || name === '.' || name === '..') throw new Error(`'${basename}' is not a valid whiteout (it names no file)`);
  return { kind: 'whiteout', name };
}

/** OCI -> overlay: `.wh.<name>` in `dir` becomes the whiteout `dir/<name>`. */
export function makeOverlayWhiteout(path: string): void {
  new TraceRecorder().check('an OCI whiteout becomes an overlay whiteout (char device 0/0)', (n) => n.mknod(path, 0o20000 | 0o000, 0, 0));
}

/** OCI -> overlay: `.wh..wh..opq` in `dir` marks `dir` opaque. */
export function markOpaque(dir: string): void {
  new TraceRecorder().check('an OCI opaque marker becomes the overlay opaque xattr', (n) => n.setxattr(dir, OPAQUE_XATTR, 'y'));
}

/** An overlay whiteout: a character device with device number 0/0. */
export function isOverlayWhiteout(stat: Stats): boolean {
  return stat.isCharacterDevice() && stat.rdev === 0;
}

export function isOpaque(dir: string): boolean {
  return new TraceRecorder().host(undefined, (n) => n.getxattr(dir, OPAQUE_XATTR)) === 'y';
}

/** Overlay -> OCI: the tar entry that stands for the whiteout at `rel`. */
export function ociWhiteoutEntry(rel: string, stat: Stats): TarHeader {
  const slash = rel.lastIndexOf('/');
  return markerEntry(`${rel.slice(0, slash + 1)}${WHITEOUT_PREFIX}${rel.slice(slash + 1)}`, stat);
}

/** Overlay -> OCI: the tar entry that marks the directory `rel` opaque. */
export function ociOpaqueEntry(rel: string, dir: string): TarHeader {
  return markerEntry(join(rel, OPAQUE_MARKER), lstatSync(dir));
}

function markerEntry(path: string, stat: Stats): TarHeader {
  return { path, type: 'file', mode: 0, uid: 0, gid: 0, size: 0, mtime: Math.floor(stat.mtimeMs / 1000), linkpath: '', devmajor: 0, devminor: 0 };
}
