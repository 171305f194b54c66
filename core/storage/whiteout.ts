import type { Stats } from 'node:fs';
import { S_IF } from '../linux';
import { TraceRecorder } from '../trace/recorder';

/**
 * A layer must be able to delete what a lower layer has. kit stores layers
 * in overlayfs's form, so they can be stacked directly; image tars (OCI,
 * `docker save`) say the same with marker files, turned into overlay's form
 * on import and back on export:
 *
 *   OCI tar entry                overlay form in the layer directory
 *   dir/.wh.<name>               dir/<name>: char device 0/0 ("whiteout")
 *   dir/.wh..wh..opq             dir: xattr trusted.overlay.opaque = "y"
 *                                (hides everything lower layers have in dir:
 *                                deleted, then made again)
 */
export const OPAQUE_XATTR = 'trusted.overlay.opaque';
export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';

/**
 * For calls made while walking a layer (a getxattr per directory, a mknod per
 * whiteout copied): reads and copies, not host changes, kept out of traces.
 */
export const untraced = new TraceRecorder();

export function isWhiteout(stats: Stats): boolean {
  return stats.isCharacterDevice() && stats.rdev === 0;
}

export function isOpaque(dir: string): boolean {
  return untraced.host(undefined, (n) => n.getxattr(dir, OPAQUE_XATTR)) === 'y';
}

export function makeWhiteout(trace: TraceRecorder, path: string, why: string): void {
  trace.check(why, (n) => n.mknod(path, S_IF.CHR, 0, 0));
}

export function markOpaque(trace: TraceRecorder, dir: string, why: string): void {
  trace.check(why, (n) => n.setxattr(dir, OPAQUE_XATTR, 'y'));
}

export type OciMarker = { kind: 'opaque' } | { kind: 'whiteout'; name: string };

/** What a tar entry's last path component means, if it is an OCI marker. */
export function ociMarker(basename: string): OciMarker | undefined {
  if (!basename.startsWith(WHITEOUT_PREFIX)) return undefined;
  if (basename === OPAQUE_MARKER) return { kind: 'opaque' };
  const name = basename.slice(WHITEOUT_PREFIX.length);
  if (!name || name === '.' || name === '..') throw new Error(`'${basename}' is not a valid whiteout (it names no file)`);
  return { kind: 'whiteout', name };
}
