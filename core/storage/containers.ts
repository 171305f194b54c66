import { existsSync, lchownSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeAll } from '../host/remove-tree';
import { KitError } from '../errors';
import { resolveContainer } from '../engine/resolve-container';
import { mountAt } from '../host/mountinfo';
import type { HistoryEntry, Image, ImageConfig, ImageStore } from '../image/store';
import { containerDir, type KitPaths } from '../paths';
import type { HostContext } from '../plan/plan';
import { copyChanges, upperChanges, type Change } from './changes';
import { copyChangesInto } from './copy-changes';
import type { StorageDriver } from './driver';
import { driverNamed } from './drivers';
import { layerDigest } from './layer-digest';
import { copyLayer, type WhiteoutPolicy } from './tree';
import { layersView } from './view';
import { makeWhiteout, markOpaque, untraced } from './whiteout';
import { idmapInPlace, idmappedLayers } from './idmapped-layers';
import { remappedLayerDirs, rootOf, shiftTree } from './remapped-layers';
import type { IdMaps } from '../userns/id-map';
import { checkReachable } from '../userns/reachable';
import { randomHex } from '../host/random-hex';

/**
 * A container's writable layer, kept after the container exits (so `kit
 * diff` and `kit commit` can read it) until it is removed:
 *
 *   <data>/containers/<id>/container.json   ContainerLayer below
 *   <data>/containers/<id>/...              the driver's dirs (diff, work, merged / rootfs)
 *
 * The image's layers are not copied here: the driver names them in place.
 */
export interface ContainerLayer {
  id: string;
  /** The container's name (kit run --name), so a stopped container is still found by it. */
  name?: string;
  image: string;
  driver: StorageDriver['name'];
  /** The image's layer digests, bottom first, when the container was made. */
  layers: string[];
  /** The image's config and history then: `kit start` and `kit commit` need them after `kit image rm -f`. */
  config?: ImageConfig;
  history?: HistoryEntry[];
  created: string;
}

/**
 * The image a kept container was made from, as its record holds it. Docker
 * binds a container to its image's ID, not its name: `kit start` and `kit
 * commit` use these layers, so they work after `kit image rm -f` (the layers
 * stay while the container does) and a new image of the same name changes
 * nothing of the container. Undefined for a container not made yet.
 */
export function imageOfContainer(paths: KitPaths, store: ImageStore, id: string): Image | undefined {
  const file = join(containerLayerDir(paths, id), 'container.json');
  if (!existsSync(file)) return undefined;
  const record = JSON.parse(readFileSync(file, 'utf8')) as ContainerLayer;
  // A record from before kit kept the config: the image's, while it is there.
  const named = record.config ? undefined : store.has(record.image) ? store.get(record.image) : undefined;
  return { name: record.image, layers: record.layers, config: record.config ?? named?.config ?? {}, history: record.history ?? named?.history ?? [], created: record.created };
}

export function containerLayerDir(paths: KitPaths, id: string): string {
  return join(paths.data, 'containers', id);
}

/**
 * Make the container's layer and its root filesystem (for overlay2: mount
 * it). With keep=false (a throwaway container, a build step) the whole
 * container dir is journaled for removal when the container ends.
 */
export function createContainerLayer(ctx: HostContext, store: ImageStore, image: Image, driver: StorageDriver, keep: boolean, maps?: IdMaps): string {
  const dir = containerLayerDir(ctx.paths, ctx.id);
  const record: ContainerLayer = { id: ctx.id, name: ctx.spec.name, image: image.name, driver: driver.name, layers: image.layers, config: image.config, history: image.history, created: new Date().toISOString() };
  const write = () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'container.json'), JSON.stringify(record, null, 2));
  };
  // Without root the layers are already the caller's, and the caller is root inside: nothing to move.
  const remap = maps && rootOf(maps.uid) !== process.getuid?.() ? maps : undefined;
  const create = (kept: boolean) => {
    if (!remap) return driver.createRootfs(ctx, store.layerDirs(image), dir, kept);
    // A closed dir on the way (a KIT_ROOT of mode 0700) is said before anything is mounted or copied for the root.
    checkRootReaches([dir, containerDir(ctx.paths, ctx.id)], remap);
    return createRemappedRootfs(ctx, store, image, driver, dir, remap, kept);
  };
  if (!keep) {
    ctx.changes.make({ op: 'remove', path: dir }, write);
    return create(false);
  }
  // A kept container whose root could not be made is not removed here: what
  // create() mounted before it failed (overlay's merged dir) is still there
  // until the journal is undone, and rm -rf through it would fail with EBUSY
  // (hiding why it failed) or delete through a mount. Its owner removes it
  // after the undo: a new container's record (keep.ts), a build step's journal.
  write();
  return create(true);
}

/**
 * The root for a container in a user namespace: the layers as idmapped
 * mounts (idmapped-layers.ts) where the kernel, the filesystem and the
 * driver allow, else their chown-ed copies (remapped-layers.ts), and the
 * container's own top directory (overlay's upper dir, before the mount;
 * vfs's copy, after it) owned by the host id that is root inside, so its
 * "/" is root's and writable.
 */
function createRemappedRootfs(ctx: HostContext, store: ImageStore, image: Image, driver: StorageDriver, dir: string, maps: IdMaps, keep: boolean): string {
  if (ROOT_IDMAP_DRIVERS.includes(driver.name)) return createIdmappedRoot(ctx, store, image, driver, dir, maps, keep);
  const owner = (path: string) => lchownSync(path, rootOf(maps.uid), rootOf(maps.gid));
  const upper = driver.upperDir(dir);
  const fresh = !existsSync(driver.rootfsDir(dir)) || !!upper; // vfs: a kept container's copy is already made
  const idmapped = !fresh ? undefined : IDMAPPED_DRIVERS.includes(driver.name) ? idmappedLayers(ctx, store.layerDirs(image), dir, maps) : `the ${driver.name} driver reads its layers from disk, not through mounts kit could idmap`;
  const layers = !fresh ? [] : typeof idmapped === 'object' ? idmapped.dirs : remappedLayerDirs(ctx, store, image, maps, idmapped);
  ctx.trace.currentWhy = undefined;
  if (upper && !existsSync(upper)) {
    ctx.trace.check(`${driver.name}: the container's upper dir, owned by the container's root (host uid ${rootOf(maps.uid)})`, (n) => n.mkdir(upper, 0o755));
    owner(upper);
  }
  let rootfs: string;
  try {
    rootfs = driver.createRootfs(ctx, layers, dir, keep);
  } finally {
    if (typeof idmapped === 'object') idmapped.release();
  }
  if (!upper) owner(rootfs);
  checkRootReaches([rootfs], maps);
  return rootfs;
}

/**
 * kit-init runs as the container's root, an ordinary host uid in a user
 * namespace: it must pass through every directory on the way to these.
 */
function checkRootReaches(paths: string[], maps: IdMaps): void {
  for (const path of paths) checkReachable(path, rootOf(maps.uid), rootOf(maps.gid));
}

/** Drivers that take layers as directories and read them through whatever is mounted there (overlay2 stacks them, vfs copies them). */
const IDMAPPED_DRIVERS: StorageDriver['name'][] = ['overlay2', 'vfs'];

/** Drivers whose container root is a filesystem of its own, made from the layers as stored (btrfs: a snapshot; devicemapper: a thin snapshot's ext4). */
const ROOT_IDMAP_DRIVERS: StorageDriver['name'][] = ['btrfs', 'devicemapper'];

/**
 * The root made from the layers as stored (shared with every container),
 * then mounted over itself through the maps (idmapInPlace): for
 * devicemapper on top of the device's own mount, detached first. A filesystem
 * that refuses: the container's own root gets its owners moved instead,
 * said in one line. A kept container started again whose root already
 * belongs to the range (moved by an earlier start) is used as it is.
 */
function createIdmappedRoot(ctx: HostContext, store: ImageStore, image: Image, driver: StorageDriver, dir: string, maps: IdMaps, keep: boolean): string {
  const rootfs = driver.createRootfs(ctx, store.layerDirs(image), dir, keep);
  const shifted = lstatSync(rootfs).uid === rootOf(maps.uid);
  if (!shifted) {
    const refused = idmapInPlace(ctx, rootfs, maps);
    if (refused) {
      shiftTree(rootfs, maps);
      ctx.notes.push(`user namespace: no idmapped mount (${refused}): moved the owners of the container's own ${driver.name} root into ${rootOf(maps.uid)}+ (uid 0 -> ${rootOf(maps.uid)}), so root inside owns the image's files`);
    }
  }
  ctx.trace.currentWhy = undefined;
  checkRootReaches([rootfs], maps);
  return rootfs;
}

export function listContainerLayers(paths: KitPaths): ContainerLayer[] {
  const dir = join(paths.data, 'containers');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((id) => {
    try {
      return [JSON.parse(readFileSync(join(dir, id, 'container.json'), 'utf8')) as ContainerLayer];
    } catch {
      return []; // being created or removed
    }
  });
}

/**
 * A container with a layer, by id, name or unique id prefix, as Docker
 * accepts; undefined when none matches. The record is written when the
 * container is made, so this finds running and stopped containers alike.
 */
export function lookupContainerLayer(paths: KitPaths, ref: string): ContainerLayer | undefined {
  return resolveContainer(listContainerLayers(paths), ref);
}

export function findContainerLayer(paths: KitPaths, ref: string): ContainerLayer {
  const found = lookupContainerLayer(paths, ref);
  if (found) return found;
  const known = listContainerLayers(paths).map((c) => c.name ?? c.id);
  throw new KitError(`no container '${ref}' with a layer`, `containers with a layer: ${known.join(', ') || 'none'} (a plain \`kit run\` without -d or --name removes its layer when it ends)`);
}

/** What the container changed, relative to its image, as `docker diff` lists it. */
export function diffContainer(paths: KitPaths, store: ImageStore, ref: string): Change[] {
  const container = findContainerLayer(paths, ref);
  const driver = driverNamed(container.driver);
  const dir = containerLayerDir(paths, container.id);
  const image = layersView(container.layers.map((d) => store.layerDir(d)));
  const upper = driver.upperDir(dir);
  if (upper) return upperChanges(upper, image);
  return withRootfs(paths, driver, dir, () => copyChanges(driver.rootfsDir(dir), image));
}

/** Read a container's root while it is readable (a stopped devicemapper container's device is mounted for it). */
function withRootfs<T>(paths: KitPaths, driver: StorageDriver, dir: string, read: () => T): T {
  const close = driver.openRootfs?.(paths, dir);
  try {
    return read();
  } finally {
    close?.();
  }
}

/**
 * A stopped container's root filesystem, readable and writable again (for
 * `kit cp`, as Docker mounts a stopped container's layer for docker cp):
 * overlay2 and aufs mount the image's layers under its kept upper dir, the
 * mount journaled in ctx (undone when ctx's changes are); devicemapper
 * mounts its device until close(); vfs, btrfs and zfs keep it as a plain
 * directory tree.
 */
export function openKeptRootfs(ctx: HostContext, store: ImageStore, id: string): { rootfs: string; close: () => void } {
  const container = findContainerLayer(ctx.paths, id);
  const driver = driverNamed(container.driver);
  const dir = containerLayerDir(ctx.paths, container.id);
  if (driver.upperDir(dir)) return { rootfs: driver.createRootfs(ctx, container.layers.map((d) => store.layerDir(d)), dir, true), close: () => undefined };
  const close = driver.openRootfs?.(ctx.paths, dir) ?? (() => undefined);
  return { rootfs: driver.rootfsDir(dir), close };
}

/**
 * The container layer becomes the new image's top layer, in overlay form:
 * an upper dir is copied as it is (whiteouts and opaque marks included); a
 * vfs copy is first reduced to its changes.
 */
export async function commitContainer(paths: KitPaths, store: ImageStore, ref: string, name: string, createdBy?: string): Promise<Image> {
  const container = findContainerLayer(paths, ref);
  const base = imageOfContainer(paths, store, container.id) ?? store.get(container.image);
  const why = createdBy ?? `kit commit ${container.id}`;
  const stored = await storeContainerLayer(paths, store, container.id, why);
  const image: Image = {
    name,
    layers: stored ? [...container.layers, stored.digest] : container.layers,
    config: base.config,
    created: new Date().toISOString(),
    history: [...base.history, { createdBy: why, emptyLayer: !stored || undefined }],
  };
  store.save(image);
  return image;
}

/** The container's changes as a layer in the store, or undefined when it changed nothing. */
export async function storeContainerLayer(paths: KitPaths, store: ImageStore, id: string, createdBy: string): Promise<StoredLayer | undefined> {
  const container = findContainerLayer(paths, id);
  const dir = containerLayerDir(paths, container.id);
  const driver = driverNamed(container.driver);
  // Opened once for the diff and the copy (a stopped devicemapper container's device is mounted for both).
  const close = driver.openRootfs?.(paths, dir);
  try {
    const changes = diffContainer(paths, store, container.id);
    if (changes.length === 0) return undefined;
    const upper = driver.upperDir(dir);
    return await storeLayer(paths, store, createdBy, (stage) => {
      if (upper) copyLayer(upper, stage, keepWhiteouts);
      else copyChangesInto(driver.rootfsDir(dir), changes, stage);
    });
  } finally {
    close?.();
  }
}

export interface StoredLayer {
  digest: string;
  /** False when the store already had this very layer. */
  isNew: boolean;
}

/**
 * Fill a staging dir, name it by its content, and move it into the store
 * (a layer already there is reused and the stage dropped).
 */
export async function storeLayer(paths: KitPaths, store: ImageStore, createdBy: string, fill: (stage: string) => void | Promise<void>): Promise<StoredLayer> {
  const stage = join(paths.data, 'layers', `.stage-${randomHex(6)}`);
  mkdirSync(stage, { recursive: true });
  try {
    await fill(stage);
    const digest = layerDigest(stage);
    const isNew = !store.hasLayer(digest);
    await store.addLayer(digest, createdBy, (target) => {
      for (const name of readdirSync(stage)) renameSync(join(stage, name), join(target, name));
    });
    return { digest, isNew };
  } finally {
    removeAll(stage);
  }
}

/**
 * Remove a container's layer (`kit rm`). A still-mounted
 * rootfs means the container is running: refuse rather than pull it away.
 */
export function removeContainerLayer(paths: KitPaths, ref: string): void {
  const container = findContainerLayer(paths, ref);
  const dir = containerLayerDir(paths, container.id);
  const rootfs = driverNamed(container.driver).rootfsDir(dir);
  if (mountAt(rootfs)) {
    throw new KitError(`container ${container.id} is still mounted at ${rootfs}`, 'stop it first');
  }
  releaseDriverStorage(paths, container.id);
  removeAll(dir);
}

const keepWhiteouts: WhiteoutPolicy = {
  whiteout: (dest) => makeWhiteout(untraced, dest, 'commit: keep the deletion as a whiteout'),
  opaque: (dest) => markOpaque(untraced, dest, 'commit: keep the opaque directory'),
};

/**
 * What a driver keeps of a container outside its dir (a btrfs snapshot)
 * goes before the dir does: called by every path that deletes a kept
 * container (kit rm, a container whose command never ran).
 */
export function releaseDriverStorage(paths: KitPaths, id: string): void {
  const file = join(containerLayerDir(paths, id), 'container.json');
  if (!existsSync(file)) return;
  const layer = JSON.parse(readFileSync(file, 'utf8')) as ContainerLayer;
  driverNamed(layer.driver).removeContainer?.(paths, containerLayerDir(paths, id));
}
