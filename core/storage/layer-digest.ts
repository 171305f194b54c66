import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { isOpaque } from './whiteout';
import type { Hash } from 'node:crypto';
import { sha256 } from '../sha256';

/**
 * A layer made by kit (commit, build) is stored under the sha256 of what it
 * holds: names, types, modes, owners, contents, link targets, whiteouts and
 * opaque marks, in a fixed order. Times are left out, so building the same
 * thing twice yields the same layer, stored once. (An imported layer keeps
 * the digest of its tar, Docker's diff ID; both are content addresses.)
 */
export function layerDigest(dir: string): string {
  const hash = sha256();
  hashTree(hash, dir, '');
  return `sha256:${hash.digest('hex')}`;
}

function hashTree(hash: Hash, root: string, rel: string): void {
  for (const name of readdirSync(join(root, rel)).sort()) {
    const path = `${rel}/${name}`;
    const full = join(root, path);
    const s = lstatSync(full);
    hash.update(`${path}\0${s.mode}\0${s.uid}\0${s.gid}\0${s.rdev}\0`);
    if (s.isFile()) hash.update(readFileSync(full));
    else if (s.isSymbolicLink()) hash.update(readlinkSync(full));
    else if (s.isDirectory()) {
      hash.update(isOpaque(full) ? 'opaque' : 'dir');
      hashTree(hash, root, path);
    }
    hash.update('\0');
  }
}
