import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkCommand, runCommand } from '../host/command';
import type { HostChanges } from '../host/journal';
import type { Undo } from '../host/undo';
import { poolJournal } from './dm-lock';
import type { KitPaths } from '../paths';
import { TraceRecorder } from '../trace/recorder';
import { sha256Hex } from '../sha256';

/**
 * A device-mapper thin pool, as Docker's devicemapper driver set one up in
 * loop-lvm mode: two sparse files under kit's data dir (data and metadata),
 * each attached to a loop device, and a `thin-pool` target over them. Thin
 * devices are numbered inside the pool; a snapshot of one shares all its
 * blocks until either side writes (copy on write, per 64 KiB block).
 *
 * There is no udev in a minimal system (and kit must not wait for one):
 * DM_DISABLE_UDEV=1 makes dmsetup create and remove the /dev/mapper nodes
 * itself. Every activation is journaled before it is made.
 */
export const DMSETUP_ENV = { DM_DISABLE_UDEV: '1' };
/** Docker's loop-lvm defaults, smaller: the files are sparse, so only what is written takes space. */
const DATA_BYTES = 20 * 1024 ** 3;
const METADATA_BYTES = 256 * 1024 ** 2;
/** 64 KiB blocks, Docker's dm.blocksize. */
const BLOCK_SECTORS = 128;
/** The base device's size (Docker's dm.basesize is 10G): every layer and container has it. */
export const BASE_BYTES = 4 * 1024 ** 3;

export interface Pool {
  /** The dm name, e.g. kit-1a2b3c4d5e-pool. */
  name: string;
  /** kit-1a2b3c4d5e: the prefix of every device of this pool. */
  prefix: string;
  dir: string;
  dataFile: string;
  metadataFile: string;
}

/** The pool of this data dir: its name derives from the dir, so each kit root has its own. */
export function poolOf(paths: KitPaths): Pool {
  return poolAt(join(paths.data, 'devicemapper'));
}

/** The pool kept in `dir` (<data>/devicemapper), as a journal record names it. */
export function poolAt(dir: string): Pool {
  const prefix = `kit-${sha256Hex(dirname(dir)).slice(0, 10)}`;
  return { name: `${prefix}-pool`, prefix, dir, dataFile: join(dir, 'data'), metadataFile: join(dir, 'metadata') };
}

export const devicePath = (name: string) => `/dev/mapper/${name}`;

export function dmsetup(trace: TraceRecorder, why: string, args: string[]) {
  return checkCommand(trace, why, ['dmsetup', ...args], DMSETUP_ENV);
}

export function isActive(name: string): boolean {
  return existsSync(devicePath(name));
}

/**
 * Activate the pool (creating its files on first use), with the pool lock
 * held (dm-lock.ts). Journaled even when another kit activated it: every
 * user's journal ends with an attempt to remove it, so whoever is last out
 * (not necessarily who activated it) takes it down, its loop devices going
 * with it; for the others it is busy, and stays.
 * Returns true when the pool's metadata is new (no thin device yet).
 */
export function activatePool(trace: TraceRecorder, changes: HostChanges, pool: Pool): boolean {
  const release: Undo = { op: 'dm-remove', name: pool.name, lock: pool.dir };
  if (isActive(pool.name)) {
    changes.make(release, () => undefined);
    return false;
  }
  mkdirSync(pool.dir, { recursive: true });
  const fresh = !existsSync(pool.metadataFile);
  sparseFile(pool.dataFile, DATA_BYTES);
  sparseFile(pool.metadataFile, METADATA_BYTES);
  const loops = [pool.metadataFile, pool.dataFile].map((file) =>
    changes.make({ op: 'loop-detach', file }, () =>
      checkCommand(trace, `devicemapper: a loop device over the sparse ${file.endsWith('data') ? 'data' : 'metadata'} file (loop-lvm)`, ['losetup', '--find', '--show', file]).stdout.trim(),
    ),
  );
  const sectors = statSync(pool.dataFile).size / 512;
  changes.make(release, () =>
    dmsetup(trace, 'devicemapper: the thin pool over metadata and data (64 KiB blocks, no zeroing of new blocks)', [
      'create', pool.name, '--table', `0 ${sectors} thin-pool ${loops[0]} ${loops[1]} ${BLOCK_SECTORS} 32768 1 skip_block_zeroing`,
    ]),
  );
  // The pool holds the loops open: detaching now only marks them to go when the pool goes.
  for (const loop of loops) runCommand(trace, 'devicemapper: let the loop device go with the pool (autoclear)', ['losetup', '--detach', loop]);
  return fresh;
}

/**
 * Run `fn` with the pool active, for work outside a container's run (kit rm,
 * kit image rm, an undo): activated in a journal of its own if it is down,
 * and taken down again after, unless another kit uses it meanwhile. Call
 * with the pool lock held.
 */
export function withActivePool<T>(trace: TraceRecorder, pool: Pool, fn: () => T): T {
  const activation = poolJournal(trace, pool.dir);
  try {
    activatePool(trace, activation, pool);
    return fn();
  } finally {
    activation.undoAll();
  }
}

/** A new thin device in the pool (`create_thin`), or a snapshot of `origin` (`create_snap`). */
export function createThin(trace: TraceRecorder, pool: Pool, id: number, origin?: { id: number; name: string }): void {
  if (origin && isActive(origin.name)) {
    // A snapshot of an active device needs it quiet: suspend flushes and holds its I/O.
    dmsetup(trace, 'devicemapper: suspend the origin while it is snapshotted', ['suspend', origin.name]);
    try {
      dmsetup(trace, `devicemapper: thin device ${id}, a snapshot of ${origin.id}`, ['message', pool.name, '0', `create_snap ${id} ${origin.id}`]);
    } finally {
      dmsetup(trace, 'devicemapper: resume the origin', ['resume', origin.name]);
    }
    return;
  }
  const message = origin ? `create_snap ${id} ${origin.id}` : `create_thin ${id}`;
  dmsetup(trace, origin ? `devicemapper: thin device ${id}, a snapshot of ${origin.id}: it shares every block until one side writes` : `devicemapper: thin device ${id}, empty`, ['message', pool.name, '0', message]);
}

/** Activate thin device `id` as /dev/mapper/<name>, journaled (removed again when the run ends). */
export function activateThin(trace: TraceRecorder, changes: HostChanges, pool: Pool, id: number, name: string, why: string): string {
  if (!isActive(name)) {
    changes.make({ op: 'dm-remove', name }, () => dmsetup(trace, why, ['create', name, '--table', `0 ${BASE_BYTES / 512} thin ${devicePath(pool.name)} ${id}`]));
  }
  return devicePath(name);
}

/**
 * Delete a thin device from the active pool (its blocks no other device
 * shares go back to the pool). A device already deleted (a kit killed
 * before it forgot it in devices.json) is fine: ENODATA. Returns a problem
 * line or undefined.
 */
export function deleteThin(trace: TraceRecorder, pool: Pool, id: number): string | undefined {
  const r = runCommand(trace, `devicemapper: delete thin device ${id} from the pool`, ['dmsetup', 'message', pool.name, '0', `delete ${id}`], undefined, DMSETUP_ENV);
  if (r.status === 0 || /No data available/i.test(r.stderr)) return undefined;
  return `could not delete thin device ${id} of ${pool.name}: ${r.stderr.trim().split('\n')[0] || `dmsetup exited ${r.status}`}`;
}

/** What the pool holds, as `docker info` showed it: space used and total, from the sparse files' allocated blocks. */
export interface PoolUsage {
  pool: string;
  active: boolean;
  dataUsed: number;
  dataTotal: number;
  metadataUsed: number;
  metadataTotal: number;
}

export function poolUsage(paths: KitPaths): PoolUsage | undefined {
  const pool = poolOf(paths);
  if (!existsSync(pool.dataFile) || !existsSync(pool.metadataFile)) return undefined;
  const [data, meta] = [statSync(pool.dataFile), statSync(pool.metadataFile)];
  return { pool: pool.name, active: isActive(pool.name), dataUsed: data.blocks * 512, dataTotal: data.size, metadataUsed: meta.blocks * 512, metadataTotal: meta.size };
}

/** Why the thin pool cannot work here, or undefined when it can. */
export function thinPoolProblem(): string | undefined {
  if (!existsSync('/dev/mapper/control') && !readFileSync('/proc/misc', 'utf8').includes('device-mapper')) {
    return 'this kernel has no device-mapper (/dev/mapper/control; try `modprobe dm-thin-pool`)';
  }
  const targets = runCommand(quietTrace, undefined, ['dmsetup', 'targets'], undefined, DMSETUP_ENV);
  if (targets.notFound) return 'dmsetup is not installed (apt-get install dmsetup)';
  if (!/^thin-pool\b/m.test(targets.stdout) && !moduleAvailable('dm-thin-pool')) {
    return 'this kernel has no dm-thin-pool target (dmsetup targets lists no thin-pool; try `modprobe dm-thin-pool`)';
  }
  return undefined;
}

/** The kernel loads a missing target's module itself (dm-<target>) when a table needs it: is the module there? */
function moduleAvailable(name: string): boolean {
  return runCommand(quietTrace, undefined, ['modprobe', '--dry-run', '--quiet', name]).status === 0;
}

function sparseFile(path: string, bytes: number): void {
  if (existsSync(path)) return;
  const fd = openSync(path, 'w', 0o600);
  try {
    ftruncateSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

/** Probes are not part of a run's trace. */
const quietTrace = new TraceRecorder();
