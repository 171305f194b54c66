import { runCommand } from '../host/command';
import { registerUndo } from '../host/undo';
import type { TraceRecorder } from '../trace/recorder';
import { DMSETUP_ENV } from './dm-thin';
import { unregisterDevice } from './dm-registry';

/** Undoing devicemapper's host changes (see core/host/undo.ts): each tolerates a change already gone. */
registerUndo('loop-detach', (record, trace) => detachLoops(trace, record.file));
registerUndo('dm-remove', (record, trace) => removeDevice(trace, record.name));
registerUndo('dm-thin-delete', (record, trace) => deleteThinDevice(trace, record));

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

/** `dmsetup remove`: a device already gone is fine, and so is a busy pool (another container's devices are on it). */
export function removeDevice(trace: TraceRecorder, name: string): string | undefined {
  const r = runCommand(trace, 'undo: deactivate the device-mapper device kit activated', ['dmsetup', 'remove', '--retry', name], undefined, DMSETUP_ENV);
  if (r.status === 0 || /No such device|not found/i.test(r.stderr)) return undefined;
  if (name.endsWith('-pool') && /busy/i.test(r.stderr)) return undefined;
  return `could not remove ${name}: ${r.stderr.trim().split('\n')[0]}`;
}

export function deleteThinDevice(trace: TraceRecorder, record: { pool: string; id: number; registry: string; key: string }): string | undefined {
  const r = runCommand(trace, "undo: delete the throwaway container's thin device", ['dmsetup', 'message', record.pool, '0', `delete ${record.id}`], undefined, DMSETUP_ENV);
  unregisterDevice(record.registry, record.key);
  if (r.status === 0 || /No data available|No such device|not found/i.test(r.stderr)) return undefined;
  return `could not delete thin device ${record.id} of ${record.pool}: ${r.stderr.trim().split('\n')[0]}`;
}
