import { chmodSync, existsSync, lchownSync, lstatSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Image, ImageStore } from '../image/store';
import type { KitPaths } from '../paths';
import type { HostContext } from '../plan/plan';
import { hostId, type IdMapping, type IdMaps } from '../userns/id-map';
import { removeAll } from '../host/remove-tree';
import { copyOne } from './tree';
import { isOpaque, markOpaque, untraced } from './whiteout';

/**
 * Image layers for a container whose root is a host uid other than 0
 * (--userns=auto): as stored, a layer's files belong to host root, which is
 * unmapped in the container's user namespace (they would show as 65534 and
 * root inside could not write them through the union mount). So each layer
 * is copied once per id range with every owner moved into the range (uid 0
 * -> 100000, 33 -> 100033), as Docker's userns-remap keeps its layers under
 * /var/lib/docker/100000.100000. Later containers with the same range reuse
 * the copies: create time does not grow again with the image.
 * Where it can, kit makes idmapped mounts instead (idmapped-layers.ts; btrfs: its root, idmapInPlace),
 * which translate owners at the mount and copy nothing; this copy is the
 * fallback, and `kit image rm` removes it with the layer (removeRemappedCopies).
 *
 *   <data>/remapped/<uid>.<gid>/<layer hex>/   the shifted copy
 */
export function remappedLayerDirs(ctx: HostContext, store: ImageStore, image: Image, maps: IdMaps, noIdmap?: string): string[] {
  const copied: string[] = [];
  const dirs = image.layers.map((digest) => {
    const dir = remappedLayerDir(ctx.paths, maps, digest);
    if (existsSync(dir)) return dir;
    copied.push(digest.slice(7, 19));
    const tmp = `${dir}.tmp-${ctx.id}`;
    mkdirSync(dirname(dir), { recursive: true, mode: 0o700 });
    rmSync(tmp, { recursive: true, force: true });
    copyOne(store.layerDir(digest), tmp);
    copyShifted(store.layerDir(digest), tmp, maps);
    shiftOwner(tmp, maps);
    try {
      renameSync(tmp, dir); // whole or absent; another kit may have made it meanwhile
    } catch {
      rmSync(tmp, { recursive: true, force: true });
    }
    return dir;
  });
  if (copied.length) {
    const range = `${rootOf(maps.uid)}-${rootOf(maps.uid) + (maps.uid.find((m) => m.inside === 0)?.count ?? 1) - 1}`;
    ctx.notes.push(`user namespace: ${noIdmap ? `no idmapped mounts (${noIdmap}): ` : ''}copied layer(s) ${copied.join(', ')} with their owners moved into ${range} (uid 0 -> ${rootOf(maps.uid)}), so root inside owns the image's files; later containers with this range reuse the copies`);
  }
  return dirs;
}

export function remappedLayerDir(paths: KitPaths, maps: IdMaps, digest: string): string {
  return join(paths.data, 'remapped', `${rootOf(maps.uid)}.${rootOf(maps.gid)}`, digest.replace(/^sha256:/, ''));
}

/** `kit image rm`: the chown-ed copies of layers that left the store, for every range. */
export function removeRemappedCopies(paths: KitPaths, removedDigests: string[]): void {
  const base = join(paths.data, 'remapped');
  if (!existsSync(base) || removedDigests.length === 0) return;
  const removed = new Set(removedDigests.map((d) => d.replace(/^sha256:/, '')));
  for (const range of readdirSync(base)) {
    for (const copy of readdirSync(join(base, range))) {
      // a copy being made (<hex>.tmp-<id>) is its maker's to finish or drop
      if (removed.has(copy)) removeAll(join(base, range, copy));
    }
    try {
      rmdirSync(join(base, range)); // only when empty: another kit may be copying into it
    } catch {
      // not empty
    }
  }
}

/** The host id of root inside. */
export function rootOf(map: IdMapping[]): number {
  return hostId(map, 0) ?? 0;
}

/** A copy of `src`'s entries in `dest`, whiteouts and opaque marks kept as overlay needs them, owners shifted. */
function copyShifted(src: string, dest: string, maps: IdMaps): void {
  for (const name of readdirSync(src)) {
    const from = join(src, name);
    const to = join(dest, name);
    copyOne(from, to);
    if (lstatSync(from).isDirectory()) {
      if (isOpaque(from)) markOpaque(untraced, to, 'keep the opaque mark');
      copyShifted(from, to, maps);
    }
    shiftOwner(to, maps);
  }
}

/**
 * The fallback for a driver whose own root copy could not be idmapped (a
 * filesystem that refuses MOUNT_ATTR_IDMAP): every owner in `dir` moved by
 * the maps, in place. `dir` is the container's own copy (a btrfs snapshot:
 * only the metadata is copied on write), never a shared layer.
 */
export function shiftTree(dir: string, maps: IdMaps): void {
  shiftEntries(dir, maps);
  shiftOwner(dir, maps);
}

function shiftEntries(dir: string, maps: IdMaps): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (lstatSync(path).isDirectory()) shiftEntries(path, maps);
    shiftOwner(path, maps);
  }
}

/** Owners moved by the maps; an id they do not cover becomes the range's nobody (65534 inside). */
function shiftOwner(path: string, maps: IdMaps): void {
  const stats = lstatSync(path);
  const uid = hostId(maps.uid, stats.uid) ?? hostId(maps.uid, NOBODY) ?? rootOf(maps.uid);
  const gid = hostId(maps.gid, stats.gid) ?? hostId(maps.gid, NOBODY) ?? rootOf(maps.gid);
  lchownSync(path, uid, gid);
  // chown clears set-uid/set-gid bits: put them back, as the layer had them
  if (!stats.isSymbolicLink() && stats.mode & 0o6000) chmodSync(path, stats.mode & 0o7777);
}

const NOBODY = 65534;
