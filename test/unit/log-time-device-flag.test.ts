import { parseLogTime } from '../../core/engine/log-time';
import { parseDevice } from '../../core/plan/device-flag';

test('logs --since/--until take RFC 3339 times, Unix timestamps and Go durations before now', () => {
  const now = Date.parse('2026-11-30T20:00:00Z');
  expect(parseLogTime('--since', '2026-11-30T19:00:00Z', now)).toBe(Date.parse('2026-11-30T19:00:00Z'));
  expect(parseLogTime('--since', '2026-11-30T19:00:00.5+01:00', now)).toBe(Date.parse('2026-11-30T18:00:00.500Z'));
  expect(parseLogTime('--since', '1796068800', now)).toBe(1796068800000);
  expect(parseLogTime('--since', '1796068800.25', now)).toBe(1796068800250);
  expect(parseLogTime('--since', '10m', now)).toBe(now - 600_000);
  expect(parseLogTime('--since', '1h30m', now)).toBe(now - 5_400_000);
  expect(() => parseLogTime('--since', 'yesterday', now)).toThrow("bad --since value 'yesterday'");
  expect(() => parseLogTime('--until', '10 minutes', now)).toThrow("bad --until value '10 minutes'");
});

test('--device reads the host node (type, numbers, mode) and Docker\'s HOST[:CTR[:PERMS]] forms', () => {
  expect(parseDevice('/dev/null:/dev/mynull')).toMatchObject({ hostPath: '/dev/null', path: '/dev/mynull', type: 'c', major: 1, minor: 3, access: 'rwm' });
  expect(parseDevice('/dev/zero:/dev/z:r')).toMatchObject({ path: '/dev/z', major: 1, minor: 5, access: 'r' });
  // HOST:PERMS, as Docker reads a second part made of r, w, m
  expect(() => parseDevice('/dev/null:rw')).toThrow('every container already has /dev/null');
  expect(() => parseDevice('dev/null:/dev/x')).toThrow('is not an absolute path');
  expect(() => parseDevice('/dev/null:/dev/../etc/x')).toThrow("kit makes device nodes in the container's /dev");
  expect(() => parseDevice('/dev/null:/dev/shm/x')).toThrow("/dev/shm in the container is kit's own");
  expect(() => parseDevice('/dev/null:/dev/fd/x')).toThrow("/dev/fd in the container is kit's own");
  expect(() => parseDevice('/dev/null:/dev/x:rx')).toThrow("'rx' is not a set of permissions");
  expect(() => parseDevice('/etc/hostname:/dev/x')).toThrow('is not a device node');
  expect(() => parseDevice('a:b:c:d')).toThrow("bad --device 'a:b:c:d'");
});
