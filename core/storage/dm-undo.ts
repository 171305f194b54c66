import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { runCommand } from '../host/command';
import { registerUndo } from '../host/undo';
import type { TraceRecorder } from '../trace/recorder';
import { withPoolLock } from './dm-lock';
import { deleteThin, DMSETUP_ENV, poolAt, withActivePool } from './dm-thin';
import { unregisterDevice } from './dm-registry';

/**
 * Undoing devicemapper's host changes (see core/host/undo.ts): each
 * tolerates a change already gone, and what touches the shared pool (its
 * loops, its removal, its thin devices) holds the pool lock (dm-lock.ts).
 */
registerUndo('loop-detach', (record, trace) => withPoolLock(trace, dirname(record.file), () => detachLoops(trace, record.file)));
registerUndo('dm-remove', (record, trace) => (record.lock ? withPoolLock(trace, record.lock, () => removeDevice(trace, record.name)) : removeDevice(trace, record.name)));
registerUndo('dm-thin-delete', (record, trace) => withPoolLock(trace, dirname(record.registry), () => deleteThinDevice(trace, record)));

/** Detach every loop device over `file` (`losetup -j` finds them); one the pool still holds goes when the pool does. */
export function detachLoops(trace: TraceRecorder, file: string): string | undefined {
  const found = runCommand(trace, 'undo: the loop devices over kit\'s file', ['losetup', '--associated', file]);
  if (found.notFound) return undefined;
  for (const loop of found.stdout.split('\n').map((l) => l.split(':')[0]).filter(Boolean)) {
    const r = runCommand(trace, 'undo: detach the loop device kit attached', ['losetup', '--detach', loop]);
    if (r.status !== 0 && !/No such device/.test(r.stderr)) return `could not detach ${loop}: ${r.stderr.trim()}`;
  }
  return undefined;
}

/**
 * `dmsetup remove`: a device already gone is fine, and so is a busy pool
 * (another container's devices are on it). A pool another kit holds open is
 * left at once: waiting out --retry's seconds would hold the pool lock.
 */
export function removeDevice(trace: TraceRecorder, name: string): string | undefined {
  if (name.endsWith('-pool') && openCount(trace, name) > 0) return undefined;
  const r = runCommand(trace, 'undo: deactivate the device-mapper device kit activated', ['dmsetup', 'remove', '--retry', name], undefined, DMSETUP_ENV);
  if (r.status === 0 || /No such device|not found/i.test(r.stderr)) return undefined;
  if (name.endsWith('-pool') && /busy/i.test(r.stderr)) return undefined;
  return `could not remove ${name}: ${r.stderr.trim().split('\n')[0]}`;
}

/**
 * Delete a thin device kit made and forget it. The pool may be down (its
 * last user has gone, or the host rebooted since a kit was killed): it is
 * activated for the delete, and taken down again if nobody else uses it.
 */
/** How many opens (mounted or active thin devices over it) a device has; 0 when it is gone. */
function openCount(trace: TraceRecorder, name: string): number {
  const r = runCommand(trace, 'undo: is the pool still used by another container? (its open count)', ['dmsetup', 'info', '--columns', '--noheadings', '--options', 'open', name], undefined, DMSETUP_ENV);
  return r.status === 0 ? Number(r.stdout.trim()) || 0 : 0;
}

export function deleteThinDevice(trace: TraceRecorder, record: { pool: string; id: number; registry: string; key: string }): string | undefined {
  const pool = poolAt(dirname(record.registry));
  if (pool.name !== record.pool) return `journal record for pool ${record.pool} names the files of ${pool.name}: kept`;
  if (!existsSync(pool.metadataFile)) return undefined; // the pool itself is gone, devices and all
  let problem: string | undefined;
  try {
    problem = withActivePool(trace, pool, () => deleteThin(trace, pool, record.id));
  } catch (err) {
    problem = `could not activate ${pool.name} to delete thin device ${record.id}: ${(err as Error).message.split('\n')[0]}`;
  }
  if (!problem) unregisterDevice(record.registry, record.key);
  return problem;
}
