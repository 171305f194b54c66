import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { HostChanges } from '../../core/host/journal';
import { kitPaths } from '../../core/paths';
import type { HostContext } from '../../core/plan/plan';
import { defaultSpec } from '../../core/spec';
import { idmappedLayers } from '../../core/storage/idmapped-layers';
import { TraceRecorder } from '../../core/trace/recorder';
import { FakeNative } from '../support/fake-native';
import { tempKitRoot } from '../support/kit';

/**
 * Idmapped layers against the recording double (no root, no mount): the
 * calls kit makes, in order, and what a filesystem that refuses
 * MOUNT_ATTR_IDMAP leaves (nothing: the caller copies instead).
 */
let kr: ReturnType<typeof tempKitRoot>;
beforeEach(() => (kr = tempKitRoot()));
afterEach(() => kr.cleanup());

const maps = { uid: [{ inside: 0, outside: 100000, count: 65536 }], gid: [{ inside: 0, outside: 100000, count: 65536 }] };

function context(fake: FakeNative): HostContext {
  const trace = new TraceRecorder(undefined, fake.addon);
  mkdirSync(kr.root, { recursive: true });
  return { id: 'c1', spec: defaultSpec(['true']), paths: kitPaths({ KIT_ROOT: kr.root }), trace, changes: new HostChanges(join(kr.root, 'journal'), trace), pid: 0, notes: [] };
}

test('each layer: open_tree clone, mount_setattr with the holder namespace\'s fd, move_mount; journaled first; release detaches them', () => {
  const fake = new FakeNative();
  const ctx = context(fake);
  const dir = join(kr.root, 'container');
  const result = idmappedLayers(ctx, ['/layers/a', '/layers/b'], dir, maps);
  if (typeof result === 'string') throw new Error(result);
  expect(result.dirs).toEqual([join(dir, 'idmapped', '0'), join(dir, 'idmapped', '1')]);
  const names = fake.calls.map((c) => c.name);
  expect(names.slice(0, 6)).toEqual(['spawnUsernsHolder', 'writeFile', 'writeFile', 'openRead', 'kill', 'reap']);
  expect(fake.calls[1].args).toEqual(['/proc/4000/uid_map', '0 100000 65536\n']);
  const nsFd = fake.calls.find((c) => c.name === 'openRead')!;
  expect(nsFd.args).toEqual(['/proc/4000/ns/user']);
  expect(fake.calls.filter((c) => c.name === 'openTreeClone').map((c) => c.args[0])).toEqual(['/layers/a', '/layers/b']);
  expect(fake.calls.filter((c) => c.name === 'moveMount').map((c) => c.args[1])).toEqual(result.dirs);
  expect(ctx.changes.records()).toEqual(result.dirs.map((path) => ({ op: 'umount', path })));
  result.release();
  expect(fake.calls.filter((c) => c.name === 'umount2').map((c) => c.args[0])).toEqual(result.dirs);
  expect(existsSync(join(dir, 'idmapped'))).toBe(false);
});

test('a filesystem that refuses MOUNT_ATTR_IDMAP: the reason, in one line, for the copy to quote; nothing mounted or left', () => {
  const fake = FakeNative.failingAt(1, 'EINVAL', ['mountSetIdmap']);
  const ctx = context(fake);
  const dir = join(kr.root, 'container');
  const result = idmappedLayers(ctx, ['/layers/a', '/layers/b'], dir, maps);
  expect(result).toMatch(/^mount_setattr\(MOUNT_ATTR_IDMAP\) on \/layers\/a failed \(errno 22\): its filesystem or this kernel does not allow idmapped mounts$/);
  expect(fake.calls.some((c) => c.name === 'moveMount')).toBe(false);
  expect(fake.calls.filter((c) => c.name === 'close')).toHaveLength(2); // the detached mount's fd, the namespace's
  expect(existsSync(join(dir, 'idmapped'))).toBe(false);
});
