import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostChanges } from '../../core/host/journal';
import { TraceRecorder } from '../../core/trace/recorder';
import { requireRoot } from '../support/kit';

let dir: string;
let journal: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kit-journal-'));
  journal = join(dir, 'journal');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('make() writes the undo record before it makes the change', () => {
  const changes = new HostChanges(journal, new TraceRecorder());
  const seen = changes.make({ op: 'remove', path: join(dir, 'f') }, () => readFileSync(journal, 'utf8'));
  expect(seen).toBe(`${JSON.stringify({ op: 'remove', path: join(dir, 'f') })}\n`);
});

test('a change that throws is still journaled, so its half-made state gets undone', () => {
  const changes = new HostChanges(journal, new TraceRecorder());
  expect(() => changes.make({ op: 'remove', path: join(dir, 'half') }, () => { writeFileSync(join(dir, 'half'), 'x'); throw new Error('boom'); })).toThrow('boom');
  expect(changes.undoAll()).toEqual([]);
  expect(existsSync(join(dir, 'half'))).toBe(false);
});

test('undoAll replays newest first: the inner directory goes before the outer one', () => {
  requireRoot(); // rmdir goes through the native addon
  const trace = new TraceRecorder();
  const changes = new HostChanges(journal, trace);
  const outer = join(dir, 'outer');
  const inner = join(outer, 'inner');
  changes.make({ op: 'rmdir', path: outer }, () => mkdirSync(outer));
  changes.make({ op: 'rmdir', path: inner }, () => mkdirSync(inner));
  expect(changes.undoAll()).toEqual([]);
  expect(trace.events.map((e) => [e.syscall, e.args[0], e.ret])).toEqual([['rmdir', `"${inner}"`, 0], ['rmdir', `"${outer}"`, 0]]);
  expect(existsSync(outer)).toBe(false);
  expect(existsSync(journal)).toBe(false);
});

test('a last line cut short by a crash is skipped: its change never happened', () => {
  const kept = join(dir, 'made');
  writeFileSync(kept, 'x');
  writeFileSync(journal, `${JSON.stringify({ op: 'remove', path: kept })}\n{"op":"rmdir","pa`);
  const changes = new HostChanges(journal, new TraceRecorder());
  expect(changes.records()).toEqual([{ op: 'remove', path: kept }]);
  expect(changes.undoAll()).toEqual([]);
  expect(existsSync(kept)).toBe(false);
});

test('undo tolerates changes that are already gone (a replay after a partial cleanup)', () => {
  requireRoot();
  const gone = join(dir, 'never-there');
  writeFileSync(journal, ['rmdir', 'umount', 'remove'].map((op) => JSON.stringify({ op, path: gone })).join('\n') + '\n');
  expect(new HostChanges(journal, new TraceRecorder()).undoAll()).toEqual([]);
});

test('what cannot be undone stays journaled, and the tree around it and its journal are kept', () => {
  requireRoot();
  const state = join(dir, 'state');
  const stuck = join(state, 'stuck');
  const changes = new HostChanges(join(state, 'journal'), new TraceRecorder());
  mkdirSync(state);
  changes.make({ op: 'remove', path: state }, () => undefined);
  changes.make({ op: 'rmdir', path: stuck }, () => mkdirSync(stuck));
  writeFileSync(join(stuck, 'not-kits'), 'x'); // rmdir now fails: ENOTEMPTY
  const problems = changes.undoAll();
  expect(problems).toHaveLength(2);
  expect(problems[0]).toContain(stuck);
  expect(existsSync(join(stuck, 'not-kits'))).toBe(true);
  expect(changes.records()).toEqual([{ op: 'remove', path: state }, { op: 'rmdir', path: stuck }]);
});

test('a tree with something still mounted on it is kept, not emptied through the mount, and older undos still run', () => {
  requireRoot();
  const older = join(dir, 'older');
  const busy = join(dir, 'busy');
  const changes = new HostChanges(journal, new TraceRecorder());
  changes.make({ op: 'rmdir', path: older }, () => mkdirSync(older));
  changes.make({ op: 'remove', path: busy }, () => mkdirSync(busy));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', 'kit-test', busy]);
  expect(mounted.status).toBe(0);
  try {
    writeFileSync(join(busy, 'not-kits'), 'x'); // lives on the mounted filesystem
    const problems = changes.undoAll();
    expect(problems).toEqual([expect.stringContaining(busy)]);
    expect(existsSync(join(busy, 'not-kits'))).toBe(true);
    expect(existsSync(older)).toBe(false);
  } finally {
    spawnSync('umount', [busy]);
  }
});
