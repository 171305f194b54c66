import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { checkCommand, runCommand } from '../host/command';
import { HostChanges } from '../host/journal';
import { mountAt } from '../host/mountinfo';
import type { KitPaths } from '../paths';
import type { HostContext } from '../plan/plan';
import { TraceRecorder } from '../trace/recorder';
import { activatePool, activateThin, createThin, deleteThin, dmsetup, poolOf, thinPoolProblem, type Pool } from './dm-thin';
import { allocate, emptyRegistry, readRegistry, register, registryFile, unregister, writeRegistry } from './dm-registry';
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
 */
export const devicemapper: StorageDriver = {
  name: 'devicemapper',
  unsupported: () => thinPoolProblem() ?? missingProgram(),
  createRootfs(ctx: HostContext, layers: string[], dir: string, keep = true): string {
    const pool = poolOf(ctx.paths);
    const { trace, changes } = ctx;
    if (activatePool(trace, changes, pool)) writeRegistry(pool, emptyRegistry());
    let origin = baseDevice(trace, changes, pool);
    const chain: string[] = [];
    for (const layer of layers) {
      chain.push(layerHex(layer));
      origin = layerDevice(trace, changes, pool, chain.join(':'), layer, origin);
    }
    const key = basename(dir);
    let id = readRegistry(pool).containers[key];
    if (id === undefined) {
      id = allocate(pool);
      const snapshot = () => {
        createThin(trace, pool, id!, origin);
        register(pool, 'containers', key, id!);
      };
      if (keep) snapshot();
      else changes.make({ op: 'dm-thin-delete', pool: pool.name, id, registry: registryFile(pool), key: `containers/${key}` }, snapshot);
    }
    const device = activateThin(trace, changes, pool, id, `${pool.prefix}-${key}`, `devicemapper: the container's thin device ${id}, a snapshot of its image's top layer`);
    const rootfs = devicemapper.rootfsDir(dir);
    mountDevice(trace, changes, device, rootfs, "devicemapper: the container's device as its root filesystem");
    return rootfs;
  },
  upperDir: () => undefined,
  rootfsDir: (dir) => join(dir, 'rootfs'),
  removeContainer(paths: KitPaths, dir: string): void {
    const pool = poolOf(paths);
    const key = basename(dir);
    const id = existsSync(registryFile(pool)) ? readRegistry(pool).containers[key] : undefined;
    if (id === undefined) return;
    withJournal(paths, (trace, changes) => {
      activatePool(trace, changes, pool);
      deleteThin(trace, pool, id);
      unregister(pool, `containers/${key}`);
    });
  },
  openRootfs(paths: KitPaths, dir: string): () => void {
    const rootfs = devicemapper.rootfsDir(dir);
    const pool = poolOf(paths);
    const id = readRegistry(pool).containers[basename(dir)];
    if (mountAt(rootfs) || id === undefined) return () => undefined; // running: its root is mounted already
    const { trace, changes } = journal(paths);
    try {
      activatePool(trace, changes, pool);
      const device = activateThin(trace, changes, pool, id, `${pool.prefix}-${basename(dir)}`, "devicemapper: the stopped container's device, to read it");
      mountDevice(trace, changes, device, rootfs, "devicemapper: the stopped container's root, to read it", MS_RDONLY);
    } catch (err) {
      changes.undoAll();
      throw err;
    }
    return () => void changes.undoAll();
  },
};

const MS_RDONLY = 1;

/** A layer's digest (hex) from its dir in the store: <data>/layers/<hex>/diff. */
const layerHex = (layer: string) => basename(dirname(layer));

/**
 * After `kit image rm` deleted layers from the store: delete the thin
 * devices of every chain they were part of (the pool gives their blocks back).
 */
export function removeLayerDevices(paths: KitPaths, removedDigests: string[]): void {
  const pool = poolOf(paths);
  if (!existsSync(registryFile(pool)) || removedDigests.length === 0) return;
  const removed = new Set(removedDigests.map((d) => d.replace(/^sha256:/, '')));
  const doomed = Object.entries(readRegistry(pool).layers).filter(([chain]) => chain.split(':').some((hex) => removed.has(hex)));
  if (doomed.length === 0) return;
  withJournal(paths, (trace, changes) => {
    activatePool(trace, changes, pool);
    for (const [chain, id] of doomed) {
      deleteThin(trace, pool, id);
      unregister(pool, `layers/${chain}`);
    }
  });
}

/** The base device: an empty ext4 filesystem every layer starts from (made once per pool). */
function baseDevice(trace: TraceRecorder, changes: HostChanges, pool: Pool): { id: number; name: string } {
  const name = `${pool.prefix}-base`;
  const known = readRegistry(pool).base;
  if (known !== undefined) return { id: known, name };
  const id = allocate(pool);
  createThin(trace, pool, id);
  const device = activateThin(trace, changes, pool, id, name, 'devicemapper: the base device, to put a filesystem on it');
  checkCommand(trace, 'devicemapper: an ext4 filesystem on the base device (inode tables written now: nothing lazy left to write later)', [
    'mkfs.ext4', '-q', '-F', '-E', 'nodiscard,lazy_itable_init=0,lazy_journal_init=0', '-N', '65536', '-J', 'size=4', '-L', 'kit-base', device,
  ]);
  // An image's root starts empty: mkfs's lost+found would show up in every diff as added.
  const mnt = join(pool.dir, 'mnt', String(id));
  mountDevice(trace, changes, device, mnt, 'devicemapper: mount the base device to empty it');
  trace.check('devicemapper: remove mkfs\'s lost+found (no layer has it)', (n) => n.rmdir(join(mnt, 'lost+found')));
  trace.check('devicemapper: the base device is ready; unmount it', (n) => n.umount2(mnt, 0));
  rmdirSync(mnt);
  deactivate(trace, name);
  const registry = readRegistry(pool);
  writeRegistry(pool, { ...registry, base: id });
  return { id, name };
}

/**
 * An image layer's thin device: a snapshot of the one below with the
 * layer's files written in (whiteouts delete what is below), made the first
 * time a container needs it and kept with the layers.
 */
function layerDevice(trace: TraceRecorder, changes: HostChanges, pool: Pool, key: string, layer: string, origin: { id: number; name: string }): { id: number; name: string } {
  const known = readRegistry(pool).layers[key];
  if (known !== undefined) return { id: known, name: `${pool.prefix}-${known}` };
  const id = allocate(pool);
  const layerName = `${pool.prefix}-${id}`;
  createThin(trace, pool, id, origin);
  const device = activateThin(trace, changes, pool, id, layerName, `devicemapper: layer ${layerHex(layer).slice(0, 12)}'s device, a snapshot of the one below, to write its files in`);
  const mnt = join(pool.dir, 'mnt', String(id));
  mountDevice(trace, changes, device, mnt, 'devicemapper: mount the layer device to fill it');
  copyLayer(layer, mnt, applyWhiteouts);
  trace.check('devicemapper: the layer is written; unmount it', (n) => n.umount2(mnt, 0));
  rmdirSync(mnt);
  deactivate(trace, layerName);
  register(pool, 'layers', key, id);
  return { id, name: layerName };
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

/** A journal of its own for work outside a container run (kit rm, kit diff), undone when done. */
function journal(paths: KitPaths): { trace: TraceRecorder; changes: HostChanges } {
  mkdirSync(paths.state, { recursive: true });
  const trace = new TraceRecorder();
  return { trace, changes: new HostChanges(join(paths.state, `devicemapper-${process.pid}.journal`), trace) };
}

function withJournal(paths: KitPaths, work: (trace: TraceRecorder, changes: HostChanges) => void): void {
  const { trace, changes } = journal(paths);
  try {
    work(trace, changes);
  } finally {
    changes.undoAll();
  }
}
