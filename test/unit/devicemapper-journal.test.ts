import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processStartTime } from '../../core/host/process';
import { kitPaths } from '../../core/paths';
import { TraceRecorder } from '../../core/trace/recorder';
import { layerKey } from '../../core/storage/devicemapper';
import { poolJournal, withPoolLock } from '../../core/storage/dm-lock';
import { recoverDevicemapper } from '../../core/storage/dm-recover';
import { readRegistry, register, unregisterDevice, registryFile } from '../../core/storage/dm-registry';
import { poolOf } from '../../core/storage/dm-thin';
import { tempKitRoot } from '../support/kit';

/**
 * devicemapper's bookkeeping, without a kernel that has dm-thin-pool (the
 * guest tests run the real thing): the registry's entries, layer names for
 * user namespace copies, the pool lock, and the replay of a killed kit's
 * pool journal by the next kit.
 */
let kr: ReturnType<typeof tempKitRoot>;
beforeEach(() => (kr = tempKitRoot()));
afterEach(() => kr.cleanup());

test('a layer is named by its digest; its copy for a user namespace by digest@range, so the two never share a device', () => {
  const hex = 'a'.repeat(64);
  expect(layerKey(`/var/lib/kit/layers/${hex}/diff`)).toBe(hex);
  expect(layerKey(`/var/lib/kit/remapped/100000.100000/${hex}`)).toBe(`${hex}@100000.100000`);
});

test('the registry remembers and forgets the base, layers and containers by the journal\'s entry names', () => {
  const pool = poolOf(kitPaths(kr.env));
  register(pool, 'base', 1);
  register(pool, 'layers/aa:bb', 2);
  register(pool, 'containers/c1', 3);
  expect(readRegistry(pool)).toMatchObject({ base: 1, layers: { 'aa:bb': 2 }, containers: { c1: 3 } });
  for (const entry of ['base', 'layers/aa:bb', 'containers/c1']) unregisterDevice(registryFile(pool), entry);
  expect(readRegistry(pool)).toMatchObject({ layers: {}, containers: {} });
  expect(readRegistry(pool).base).toBeUndefined();
});

test('the pool lock is re-entrant in one process (an undo run under the lock takes it again without waiting on itself)', () => {
  const pool = poolOf(kitPaths(kr.env));
  const trace = new TraceRecorder();
  expect(withPoolLock(trace, pool.dir, () => withPoolLock(trace, pool.dir, () => 'inner'))).toBe('inner');
  expect(existsSync(join(pool.dir, 'lock'))).toBe(true);
});

test('a pool journal left by a dead kit is replayed by the next one; a live kit\'s is left alone', () => {
  const pool = poolOf(kitPaths(kr.env));
  const journals = join(pool.dir, 'journals');
  // A live one: this process's, with a scratch dir it made.
  const live = poolJournal(new TraceRecorder(), pool.dir);
  const mine = join(pool.dir, 'mnt', 'mine');
  live.make({ op: 'rmdir', path: mine }, () => mkdirSync(mine, { recursive: true }));
  // A dead one: pid 0 never names a process.
  const theirs = join(pool.dir, 'mnt', 'theirs');
  mkdirSync(theirs, { recursive: true });
  writeFileSync(join(journals, `0-${processStartTime(process.pid)}-1.journal`), JSON.stringify({ op: 'rmdir', path: theirs }) + '\n');

  expect(recoverDevicemapper(kitPaths(kr.env))).toEqual([]);
  expect(existsSync(theirs)).toBe(false);
  expect(existsSync(mine)).toBe(true);
  expect(readdirSync(journals)).toEqual([live.file.slice(journals.length + 1)]);
  live.undoAll();
  expect(existsSync(mine)).toBe(false);
});
