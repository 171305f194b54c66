import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { KitError } from '../errors';

/**
 * The first directory on the way to `path` that host uid/gid `uid`/`gid`
 * may not pass through (no x bit for it), or undefined. kit-init runs as
 * the container's root, which in a user namespace is that ordinary uid:
 * it must reach the rootfs and the /etc files it mounts.
 */
export function unreachableDir(path: string, uid: number, gid: number): { dir: string; mode: number } | undefined {
  const dirs: string[] = [];
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    dirs.unshift(dir);
    if (dir === '/') break;
  }
  for (const dir of dirs) {
    const s = statSync(dir);
    const bit = s.uid === uid ? 0o100 : s.gid === gid ? 0o010 : 0o001;
    if ((s.mode & bit) === 0) return { dir, mode: s.mode & 0o7777 };
  }
  return undefined;
}

/** Said before the container starts, instead of an EACCES from a mount inside it. */
export function checkReachable(path: string, uid: number, gid: number): void {
  const blocked = unreachableDir(path, uid, gid);
  if (!blocked) return;
  throw new KitError(
    `the container's root is host uid ${uid} in its user namespace, and it cannot pass through ${blocked.dir} (mode 0${blocked.mode.toString(8)}) to reach ${path}`,
    `put kit's data under a directory other users may pass through (chmod o+x ${blocked.dir}), or set KIT_ROOT elsewhere`,
  );
}
