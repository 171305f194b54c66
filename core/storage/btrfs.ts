import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmdirSync, rmSync, ftruncateSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { KitError } from '../errors';
import { runCommand } from '../host/command';
import { mountAt } from '../host/mountinfo';
import { registerUndo } from '../host/undo';
import type { KitPaths } from '../paths';
import type { HostContext } from '../plan/plan';
import { hasFilesystem, hasProgram } from '../support';
import { TraceRecorder } from '../trace/recorder';
import { backingFilesystem } from './backing-fs';
import type { StorageDriver } from './driver';
import { copyLayer } from './tree';
import { applyWhiteouts } from './vfs';
import { randomHex } from '../host/random-hex';
import { sha256Hex } from '../sha256';

/**
 * btrfs: copy-on-write at the block level, where overlay2 and aufs work on
 * whole files. Each image layer is a btrfs subvolume: the bottom one is
 * created and filled, each next one is a snapshot of the one below with the
 * layer's changes applied (its whiteouts delete). A container's root is one
 * more snapshot, of the top layer: made in constant time whatever the
 * image's size, sharing every block until the container writes it (then only
 * that block is copied, not the whole file as overlay's copy-up does).
 *
 * Docker uses btrfs only when its data dir is on btrfs. kit does too, and
 * otherwise, asked for btrfs, makes a btrfs filesystem in an image file
 * (<data>/btrfs.img, sparse) and loop-mounts it at <data>/btrfs: created by
 * the first btrfs container, removed (unmounted, the file deleted) through
 * the journal when the last one is gone.
 *
 *   <data>/btrfs/layers/<chain>      a subvolume per layer, by the chain of layers below it
 *   <data>/btrfs/containers/<id>     the container's snapshot: its root
 */
const IMAGE_SIZE = 20 * 1024 ** 3; // sparse: only what is written takes space

export const btrfs: StorageDriver = {
  name: 'btrfs',
  unsupported(paths?: KitPaths): string | undefined {
    if (!hasFilesystem('btrfs')) return 'this kernel has no btrfs filesystem (grep btrfs /proc/filesystems; try `modprobe btrfs`)';
    if (paths && onBtrfs(paths)) return undefined;
    // Before the tools: a user without root cannot mount the image file whatever is installed (and a
    // user's PATH often lacks /usr/sbin, where mkfs.btrfs is: "apt-get install btrfs-progs" misled).
    if (process.getuid?.() !== 0) return "kit's data dir is not on btrfs, and mounting a btrfs image file needs root";
    if (!existsSync('/dev/loop-control')) return `kit's data dir is not on btrfs, and there are no loop devices (/dev/loop-control) to mount a btrfs image file`;
    if (!hasProgram('mkfs.btrfs') || !hasProgram('btrfs')) return "kit's data dir is not on btrfs, and btrfs-progs (mkfs.btrfs, btrfs) is missing to make an image file (apt-get install btrfs-progs)";
    return undefined;
  },
  notChosen(paths: KitPaths): string | undefined {
    if (onBtrfs(paths)) return undefined;
    return `kit's data dir is on ${backingFilesystem(paths.data) ?? 'another filesystem'}, and Docker picks btrfs only on btrfs; --storage-driver btrfs uses a loop-mounted image file`;
  },
  createRootfs(ctx: HostContext, layers: string[], dir: string, keep?: boolean): string {
    const snapshot = btrfs.rootfsDir(dir);
    if (existsSync(snapshot)) return snapshot; // a kept container started again
    const make = () => withBtrfsLock(ctx.trace, ctx.paths, () => {
      const root = ensureFilesystem(ctx.trace, ctx.paths);
      mkdirSync(join(root, 'containers'), { recursive: true });
      const top = layerSubvolumes(ctx.trace, root, layers);
      if (top) subvolume(ctx.trace, `btrfs: the container's root is a snapshot of the top layer (no data copied)`, ['snapshot', top, snapshot]);
      else subvolume(ctx.trace, "btrfs: an image without layers: the container's root is an empty subvolume", ['create', snapshot]);
    });
    // A throwaway container's snapshot (and, if it was the last, the filesystem) goes when it ends;
    // a kept one's with `kit rm` (removeContainer).
    if (!keep) ctx.changes.make({ op: 'btrfs-release', path: dir }, make);
    else {
      try {
        make();
      } catch (err) {
        btrfs.removeContainer?.(ctx.paths, dir);
        throw err;
      }
    }
    return snapshot;
  },
  upperDir: () => undefined,
  rootfsDir: (dir) => join(dataDirOf(dir), 'btrfs', 'containers', basename(dir)),
  removeContainer(paths: KitPaths, dir: string): void {
    const problem = release(new TraceRecorder(), paths, dir);
    if (problem) throw new KitError(problem);
  },
};

/** The container dir is <data>/containers/<id>. */
function dataDirOf(containerDir: string): string {
  return dirname(dirname(containerDir));
}

function onBtrfs(paths: KitPaths): boolean {
  return backingFilesystem(paths.data) === 'btrfs';
}

/** Several kit processes may create or release the filesystem at once: an flock on <data>/btrfs.lock. */
function withBtrfsLock<T>(trace: TraceRecorder, paths: KitPaths, fn: () => T): T {
  mkdirSync(paths.data, { recursive: true });
  const fd = trace.check('btrfs: take the lock on the btrfs filesystem (other kit processes may be making or removing it)', (n) => n.lockFile(join(paths.data, 'btrfs.lock')));
  try {
    return fn();
  } finally {
    trace.host('btrfs: release the lock', (n) => n.close(fd));
  }
}

/** <data>/btrfs as a btrfs filesystem: the data dir's own, or an image file, loop-mounted. */
function ensureFilesystem(trace: TraceRecorder, paths: KitPaths): string {
  const mnt = join(paths.data, 'btrfs');
  if (onBtrfs(paths) || mountAt(mnt)) {
    mkdirSync(mnt, { recursive: true });
    return mnt;
  }
  const image = join(paths.data, 'btrfs.img');
  mkdirSync(mnt, { recursive: true });
  if (!existsSync(image)) {
    const fd = openSync(image, 'wx', 0o600);
    ftruncateSync(fd, IMAGE_SIZE);
    closeSync(fd);
    command(trace, `btrfs: make a btrfs filesystem in a sparse ${IMAGE_SIZE / 1024 ** 3} GiB image file (kit's data dir is not on btrfs)`, ['mkfs.btrfs', '-q', image]);
  }
  const loop = command(trace, 'btrfs: attach the image file to a free loop device (a block device btrfs can mount)', ['losetup', '--find', '--show', image]).trim();
  try {
    trace.check('btrfs: mount the filesystem where kit keeps the subvolumes', (n) => n.mount(loop, mnt, 'btrfs', 0, ''));
  } finally {
    // Mounted, the device is busy: -d then only marks it to detach itself at the unmount (autoclear).
    command(trace, 'btrfs: let the loop device detach itself when the filesystem is unmounted', ['losetup', '-d', loop]);
  }
  return mnt;
}

/**
 * Each layer's subvolume path, bottom first. The chain of layer dirs up to
 * a layer names its subvolume: the same stack, the same subvolume (a user
 * namespace's chown-ed copies are other dirs, so other subvolumes).
 */
function subvolumePaths(root: string, layers: string[]): string[] {
  let chain = '';
  return layers.map((layer) => {
    chain = sha256Hex(`${chain}\n${layer}`);
    return join(root, 'layers', chain.slice(0, 32));
  });
}

/** The subvolume a container's snapshot (its root, `snapshot`) was taken of: its image's top layer; undefined for an image without layers. */
export function topLayerSubvolume(snapshot: string, layers: string[]): string | undefined {
  return subvolumePaths(dirname(dirname(snapshot)), layers).pop();
}

/** A subvolume per layer, each a snapshot of the one below plus the layer's changes; returns the top one. */
function layerSubvolumes(trace: TraceRecorder, root: string, layers: string[]): string | undefined {
  mkdirSync(join(root, 'layers'), { recursive: true });
  let parent: string | undefined;
  const subs = subvolumePaths(root, layers);
  for (const [i, layer] of layers.entries()) {
    const sub = subs[i];
    if (!existsSync(sub)) {
      const tmp = join(root, 'layers', `.tmp-${randomHex(6)}`);
      if (parent) subvolume(trace, 'btrfs: the next layer starts as a snapshot of the one below', ['snapshot', parent, tmp]);
      else subvolume(trace, 'btrfs: the bottom layer is a new subvolume', ['create', tmp]);
      copyLayer(layer, tmp, applyWhiteouts);
      renameSync(tmp, sub);
    }
    parent = sub;
  }
  return parent;
}

function subvolume(trace: TraceRecorder, why: string, args: string[]): void {
  command(trace, why, ['btrfs', 'subvolume', ...args]);
}

function command(trace: TraceRecorder, why: string, argv: string[]): string {
  const r = runCommand(trace, why, argv);
  if (r.status !== 0) throw new KitError(`${argv.join(' ')} failed: ${r.stderr.trim().split('\n')[0] || `exit code ${r.status}`}`, r.notFound ? 'apt-get install btrfs-progs' : undefined);
  return r.stdout;
}

/**
 * A container's snapshot goes; when no container snapshot is left and the
 * filesystem is kit's image file, it is unmounted and the file deleted
 * (the layer subvolumes were a cache inside it). Returns a problem, or undefined.
 */
function release(trace: TraceRecorder, paths: KitPaths, dir: string): string | undefined {
  return withBtrfsLock(trace, paths, () => {
    const snapshot = btrfs.rootfsDir(dir);
    if (existsSync(snapshot)) {
      const r = runCommand(trace, "btrfs: delete the container's snapshot", ['btrfs', 'subvolume', 'delete', snapshot]);
      if (r.status !== 0) return `could not delete the btrfs subvolume ${snapshot}: ${r.stderr.trim()}`;
    }
    const mnt = join(paths.data, 'btrfs');
    const containers = join(mnt, 'containers');
    if (existsSync(containers) && readdirSync(containers).length > 0) return undefined; // others still use it
    if (!mountAt(mnt)) return undefined; // the data dir's own btrfs: nothing to unmount
    const MNT_DETACH = 2;
    const ret = trace.host('btrfs: the last btrfs container is gone: unmount the image file (its loop device detaches itself)', (n) => n.umount2(mnt, MNT_DETACH));
    if (ret < 0) return `could not unmount ${mnt} (errno ${-ret})`;
    rmSync(join(paths.data, 'btrfs.img'), { force: true });
    rmdirSync(mnt);
    return undefined;
  });
}

registerUndo('btrfs-release', (record, trace) => release(trace, { data: dataDirOf(record.path), state: '' }, record.path));
