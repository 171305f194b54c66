import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { KitError } from '../errors';
import { checkCommand, runCommand } from '../host/command';
import type { HostChanges } from '../host/journal';
import { mountAt } from '../host/mountinfo';
import type { KitPaths } from '../paths';
import type { HostContext } from '../plan/plan';
import { TraceRecorder } from '../trace/recorder';
import { poolJournal } from './dm-lock';
import { withPool } from './dm-recover';
import { activatePool, activateThin, createThin, deleteThin, dmsetup, poolOf, thinPoolProblem, withActivePool, type Pool } from './dm-thin';
import { allocate, emptyRegistry, readRegistry, register, registryFile, unregister, writeRegistry, type Registry } from './dm-registry';
import type { StorageDriver } from './driver';
import { copyLayer } from './tree';
import { applyWhiteouts } from './vfs';

/**
 * devicemapper, as Docker's was (loop-lvm): a thin pool (dm-thin.ts) whose
 * base device holds an empty ext4 filesystem. Each image layer is a thin
 * snapshot of the layer below it (the base for the bottom one) with the
 * layer's files written in; a container is a snapshot of its image's top
 * layer, mounted as its root. Snapshots share blocks until written, so a
 * container costs nothing until it writes, but every write is to a block
 * device (64 KiB copy-on-write per first write), not to files as overlay2.
 * Which thin device is which is kept in <data>/devicemapper/devices.json.
 * Several kit processes share the pool: each step on it holds the pool lock
 * (dm-lock.ts), and what a killed kit left half made is undone from its
 * journal by the next kit (dm-recover.ts).
 */
export const devicemapper: StorageDriver = {
  name: 'devicemapper',
  unsupported: () => thinPoolProblem() ?? missingProgram(),
  createRootfs(ctx: HostContext, layers: string[], dir: string, keep = true): string {
    const pool = poolOf(ctx.paths);
    const { trace, changes } = ctx;
    const key = basename(dir);
    // Under the pool lock: activate it, find or make each layer's device, snapshot the top one, activate the snapshot.
    const device = withPool(trace, pool, () => {
      if (activatePool(trace, changes, pool)) writeRegistry(pool, emptyRegistry());
      let origin = baseDevice(trace, pool);
      const chain: string[] = [];
      for (const layer of layers) {
        chain.push(layerKey(layer));
        origin = layerDevice(trace, pool, chain.join(':'), layer, origin);
      }
      let id = readRegistry(pool).containers[key];
      if (id === undefined) {
        const snapshot = (n: number) => createThin(trace, pool, n, origin);
        // A kept container's device stays until `kit rm`; a throwaway one's goes with the run (its journal).
        if (keep) id = newDevice(trace, pool, `containers/${key}`, snapshot);
        else {
          const n = allocate(pool);
          changes.make({ op: 'dm-thin-delete', pool: pool.name, id: n, registry: registryFile(pool), key: `containers/${key}` }, () => snapshot(n));
          register(pool, `containers/${key}`, n);
          id = n;
        }
      }
      return activateThin(trace, changes, pool, id, `${pool.prefix}-${key}`, `devicemapper: the container's thin device ${id}, a snapshot of its image's top layer`);
    });
    const rootfs = devicemapper.rootfsDir(dir);
    mountDevice(trace, changes, device, rootfs, "devicemapper: the container's device as its root filesystem");
    return rootfs;
  },
  upperDir: () => undefined,
  rootfsDir: (dir) => join(dir, 'rootfs'),
  removeContainer(paths: KitPaths, dir: string): void {
    const key = `containers/${basename(dir)}`;
    const problem = deleteDevices(paths, (registry) => {
      const id = registry.containers[basename(dir)];
      return id === undefined ? [] : [[key, id]];
    });
    if (problem) throw new KitError(problem, 'run kit rm again (a device in use is deleted once it is free)');
  },
  openRootfs(paths: KitPaths, dir: string): () => void {
    const rootfs = devicemapper.rootfsDir(dir);
    const pool = poolOf(paths);
    if (mountAt(rootfs) || !existsSync(registryFile(pool))) return () => undefined; // running: its root is mounted already
    const trace = new TraceRecorder();
    // Its own journal, in the pool's dir: a kit diff killed mid-way is undone by the next kit.
    const changes = poolJournal(trace, pool.dir);
    try {
      const device = withPool(trace, pool, () => {
        const id = readRegistry(pool).containers[basename(dir)];
        if (id === undefined) return undefined;
        activatePool(trace, changes, pool);
        return activateThin(trace, changes, pool, id, `${pool.prefix}-${basename(dir)}`, "devicemapper: the stopped container's device, to read it");
      });
      if (device) mountDevice(trace, changes, device, rootfs, "devicemapper: the stopped container's root, to read it", MS_RDONLY);
    } catch (err) {
      changes.undoAll();
      throw err;
    }
    return () => void changes.undoAll();
  },
};

const MS_RDONLY = 1;

/**
 * A layer's name in a device chain, from its dir: the digest (hex) for the
 * store's <data>/layers/<hex>/diff; <hex>@<uid>.<gid> for a copy with its
 * owners moved for a user namespace (<data>/remapped/<uid>.<gid>/<hex>,
 * remapped-layers.ts): the same layer with other owners is another device.
 */
export function layerKey(layer: string): string {
  if (basename(dirname(dirname(layer))) === 'remapped') return `${basename(layer)}@${basename(dirname(layer))}`;
  return basename(dirname(layer));
}

/**
 * After `kit image rm` deleted layers from the store: delete the thin
 * devices of every chain they were part of (the pool gives their blocks back).
 */
export function removeLayerDevices(paths: KitPaths, removedDigests: string[]): void {
  const removed = new Set(removedDigests.map((d) => d.replace(/^sha256:/, '')));
  if (removed.size === 0) return;
  const problem = deleteDevices(paths, (registry) =>
    Object.entries(registry.layers)
      .filter(([chain]) => chain.split(':').some((layer) => removed.has(layer.split('@')[0])))
      .map(([chain, id]) => [`layers/${chain}`, id]),
  );
  if (problem) throw new KitError(problem, 'run kit image rm again');
}

/**
 * Delete the devices `pick` chooses from the registry (entry, id) and forget
 * them, holding the pool lock and with the pool activated for it if needed.
 * Returns the first problem, or undefined.
 */
function deleteDevices(paths: KitPaths, pick: (registry: Registry) => Array<[string, number]>): string | undefined {
  const pool = poolOf(paths);
  if (!existsSync(registryFile(pool))) return undefined;
  const trace = new TraceRecorder();
  return withPool(trace, pool, () => {
    const doomed = pick(readRegistry(pool));
    if (doomed.length === 0) return undefined;
    return withActivePool(trace, pool, () => {
      for (const [entry, id] of doomed) {
        const problem = deleteThin(trace, pool, id);
        if (problem) return problem;
        unregister(pool, entry);
      }
      return undefined;
    });
  });
}

/**
 * A device kept in the pool (the base, a layer's, a kept container's): made
 * under a journal of its own whose first record deletes it again, so a kit
 * killed before it is in devices.json leaves nothing behind (dm-recover.ts
 * replays the journal); once it is recorded, the journal is dropped.
 */
function newDevice(trace: TraceRecorder, pool: Pool, entry: string, make: (id: number, changes: HostChanges) => void): number {
  const id = allocate(pool);
  const changes = poolJournal(trace, pool.dir);
  try {
    changes.make({ op: 'dm-thin-delete', pool: pool.name, id, registry: registryFile(pool), key: entry }, () => make(id, changes));
    register(pool, entry, id);
  } catch (err) {
    changes.undoAll();
    throw err;
  }
  changes.forget();
  return id;
}

/** The base device: an empty ext4 filesystem every layer starts from (made once per pool). */
function baseDevice(trace: TraceRecorder, pool: Pool): { id: number; name: string } {
  const name = `${pool.prefix}-base`;
  const known = readRegistry(pool).base;
  if (known !== undefined) return { id: known, name };
  const id = newDevice(trace, pool, 'base', (id, changes) => {
    createThin(trace, pool, id);
    const device = activateThin(trace, changes, pool, id, name, 'devicemapper: the base device, to put a filesystem on it');
    checkCommand(trace, 'devicemapper: an ext4 filesystem on the base device (inode tables written now: nothing lazy left to write later)', [
      'mkfs.ext4', '-q', '-F', '-E', 'nodiscard,lazy_itable_init=0,lazy_journal_init=0', '-N', '65536', '-J', 'size=4', '-L', 'kit-base', device,
    ]);
    // An image's root starts empty: mkfs's lost+found would show up in every diff as added.
    withScratchMount(trace, changes, device, join(pool.dir, 'mnt', String(id)), 'devicemapper: mount the base device to empty it', (mnt) =>
      trace.check('devicemapper: remove mkfs\'s lost+found (no layer has it)', (n) => n.rmdir(join(mnt, 'lost+found'))),
    );
    deactivate(trace, name);
  });
  return { id, name };
}

/**
 * An image layer's thin device: a snapshot of the one below with the
 * layer's files written in (whiteouts delete what is below), made the first
 * time a container needs it and kept with the layers.
 */
function layerDevice(trace: TraceRecorder, pool: Pool, key: string, layer: string, origin: { id: number; name: string }): { id: number; name: string } {
  const known = readRegistry(pool).layers[key];
  if (known !== undefined) return { id: known, name: `${pool.prefix}-${known}` };
  let layerName = '';
  const id = newDevice(trace, pool, `layers/${key}`, (id, changes) => {
    layerName = `${pool.prefix}-${id}`;
    createThin(trace, pool, id, origin);
    const device = activateThin(trace, changes, pool, id, layerName, `devicemapper: layer ${layerKey(layer).slice(0, 12)}'s device, a snapshot of the one below, to write its files in`);
    withScratchMount(trace, changes, device, join(pool.dir, 'mnt', String(id)), 'devicemapper: mount the layer device to fill it', (mnt) => copyLayer(layer, mnt, applyWhiteouts));
    deactivate(trace, layerName);
  });
  return { id, name: layerName };
}

/** Mount `device` at a scratch dir of the pool for `work`, then unmount it and remove the dir; both journaled for a kit killed meanwhile. */
function withScratchMount(trace: TraceRecorder, changes: HostChanges, device: string, mnt: string, why: string, work: (mnt: string) => void): void {
  changes.make({ op: 'rmdir', path: mnt }, () => mkdirSync(mnt, { recursive: true }));
  mountDevice(trace, changes, device, mnt, why);
  work(mnt);
  trace.check('devicemapper: done with it; unmount it', (n) => n.umount2(mnt, 0));
  rmdirSync(mnt);
}

function mountDevice(trace: TraceRecorder, changes: HostChanges, device: string, target: string, why: string, flags = 0): void {
  mkdirSync(target, { recursive: true });
  changes.make({ op: 'umount', path: target }, () => trace.check(why, (n) => n.mount(device, target, 'ext4', flags, '')));
}

function deactivate(trace: TraceRecorder, name: string): void {
  dmsetup(trace, 'devicemapper: deactivate the device (its data stays in the pool)', ['remove', '--retry', name]);
}

function missingProgram(): string | undefined {
  for (const [program, pkg] of [['losetup', 'mount'], ['mkfs.ext4', 'e2fsprogs']]) {
    if (runCommand(new TraceRecorder(), undefined, [program, '--version']).notFound) return `${program} is not installed (apt-get install ${pkg})`;
  }
  return undefined;
}
