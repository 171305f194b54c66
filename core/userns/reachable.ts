import { spawnSync } from 'node:child_process';
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
    if ((s.mode & bit) === 0 && !aclLetsPass(dir, uid, gid)) return { dir, mode: s.mode & 0o7777 };
  }
  return undefined;
}

/**
 * An ACL entry naming the uid or gid with x, and a mask that keeps x
 * (--uidmap's passage, core/userns/passage.ts): `getfacl -n` lists them.
 * Without getfacl (no acl package) no entry can have been set by kit.
 */
function aclLetsPass(dir: string, uid: number, gid: number): boolean {
  const r = spawnSync('getfacl', ['-n', '-p', '--omit-header', dir], { encoding: 'utf8' });
  if (r.status !== 0) return false;
  const entries = r.stdout.split('\n').map((l) => l.replace(/#.*/, '').trim().split(':'));
  const x = (e: string[] | undefined) => !!e && e[2]?.includes('x');
  const mask = entries.find((e) => e[0] === 'mask');
  const named = entries.find((e) => (e[0] === 'user' && e[1] === String(uid)) || (e[0] === 'group' && e[1] === String(gid)));
  return x(named) && (mask === undefined || x(mask));
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
