import type { Stats } from 'node:fs';
import { TraceRecorder } from '../trace/recorder';

/**
 * How overlayfs records a deletion in an upper layer, the form kit stores
 * layers in (the images part converts OCI `.wh.` files to and from it):
 * - a deleted name is a character device with device number 0/0;
 * - a directory that hides everything below it (deleted, then made again)
 *   carries the xattr trusted.overlay.opaque = "y".
 */
export const OPAQUE_XATTR = 'trusted.overlay.opaque';

const S_IFCHR = 0o020000;

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
  trace.check(why, (n) => n.mknod(path, S_IFCHR, 0, 0));
}

export function markOpaque(trace: TraceRecorder, dir: string, why: string): void {
  trace.check(why, (n) => n.setxattr(dir, OPAQUE_XATTR, 'y'));
}
