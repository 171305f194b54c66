import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KitError } from '../../core/errors';
import { formatMap, hostId, parseMapFlag } from '../../core/userns/id-map';
import { freeRange, rangeOf, readSubordinate } from '../../core/userns/subordinate';

test('--uidmap takes podman\'s CONTAINER_ID:HOST_ID:COUNT, comma-separated or repeated, and formats as uid_map lines', () => {
  const map = parseMapFlag('--uidmap', ['0:100000:1000,1000:1000:1', '1001:101001:64535']);
  expect(map).toEqual([
    { inside: 0, outside: 100000, count: 1000 },
    { inside: 1000, outside: 1000, count: 1 },
    { inside: 1001, outside: 101001, count: 64535 },
  ]);
  expect(formatMap(map)).toBe('0 100000 1000\n1000 1000 1\n1001 101001 64535\n');
  expect(hostId(map, 0)).toBe(100000);
  expect(hostId(map, 1000)).toBe(1000);
  expect(hostId(map, 70000)).toBeUndefined();
});

test.each([
  [['0:100000:65536', '1000:300000:10'], /0:100000:65536 and 1000:300000:10 overlap inside the container/],
  [['0:100000:100', '100:100050:10'], /overlap on the host/],
  [['0:100000'], /--uidmap 0:100000: expected CONTAINER_ID:HOST_ID:COUNT/],
  [['0:-1:5'], /expected CONTAINER_ID:HOST_ID:COUNT/],
  [['0:100000:0'], /the count must be at least 1/],
  [['0:4294967290:100'], /ends past the last id/],
])('a bad map %j is one line naming it', (values, message) => {
  let error: unknown;
  try {
    parseMapFlag('--uidmap', values);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(KitError);
  expect((error as KitError).message).toMatch(message);
  expect((error as KitError).hint).toBeTruthy();
});

test('/etc/subuid: ranges by name or uid, malformed lines skipped; a new range avoids every taken one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kit-subuid-'));
  try {
    const file = join(dir, 'subuid');
    writeFileSync(file, 'alice:100000:65536\n# comment\n1001:165536:65536\nbroken line\nbob:x:1\n');
    const ranges = readSubordinate(file);
    expect(ranges).toEqual([
      { user: 'alice', start: 100000, count: 65536 },
      { user: '1001', start: 165536, count: 65536 },
    ]);
    expect(rangeOf(ranges, 'carol', 1001)).toEqual({ user: '1001', start: 165536, count: 65536 });
    expect(rangeOf(ranges, 'kit')).toBeUndefined();
    expect(freeRange(ranges)).toBe(231072);
    expect(freeRange([])).toBe(100000);
    expect(readSubordinate(join(dir, 'missing'))).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
