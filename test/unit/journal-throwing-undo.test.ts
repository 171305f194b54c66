import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HostChanges } from '../../core/host/journal';
import { registerUndo } from '../../core/host/undo';
import { TraceRecorder } from '../../core/trace/recorder';
import { tempKitRoot } from '../support/kit';

/**
 * An undo that throws (a bug, or a host that changed under kit) is one
 * problem among the others: undoAll() goes on with the rest, keeps that
 * record for a replay, and returns instead of throwing, so the error that
 * made kit undo (what the user must read) is not replaced by the undo's.
 */
let kr: ReturnType<typeof tempKitRoot>;
beforeEach(() => (kr = tempKitRoot()));
afterEach(() => kr.cleanup());

test('a throwing undo is reported and kept; the changes before and after it are still undone', () => {
  registerUndo('sysctl', () => {
    throw new Error('EBUSY: resource busy or locked');
  });
  const changes = new HostChanges(join(kr.root, 'journal'), new TraceRecorder());
  const older = join(kr.root, 'older');
  const newer = join(kr.root, 'newer');
  changes.make({ op: 'remove', path: older }, () => mkdirSync(older));
  changes.make({ op: 'sysctl', key: 'net.ipv4.ip_forward', value: '0' }, () => undefined);
  changes.make({ op: 'remove', path: newer }, () => mkdirSync(newer));
  expect(changes.undoAll()).toEqual(['could not undo sysctl (EBUSY: resource busy or locked)']);
  expect([existsSync(older), existsSync(newer)]).toEqual([false, false]);
  expect(readFileSync(join(kr.root, 'journal'), 'utf8')).toBe(JSON.stringify({ op: 'sysctl', key: 'net.ipv4.ip_forward', value: '0' }) + '\n');
});
