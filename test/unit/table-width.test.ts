import type { ContainerInfo } from '../../core';
import { psFields, renderPs } from '../../bin/render/ps';
import { table } from '../../bin/render/table';

const now = Date.parse('2026-12-01T04:14:00Z');
const web: ContainerInfo = {
  id: '2539c738914b', name: 'kitinstrweb', image: 'base', command: ['busybox', 'httpd', '-f', '-p', '80', '-h', '/etc'],
  createdAt: '2026-12-01T04:13:59Z', state: 'running', pid: 11646, ownerPid: 11591, startedAt: '2026-12-01T04:13:59Z', finishedAt: null,
  exitCode: null, oomKilled: false, restartCount: 0, autoRemove: false, labels: {}, stateDir: '/tmp/x',
  ports: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }, { hostIp: '127.0.0.1', hostPort: 5353, containerPort: 53, protocol: 'udp' }],
};

test.each([[80], [60], [40]])('kit ps at %i columns: the id and the name stay whole, so a user can copy them; every line fits', (width) => {
  const saved = process.env.COLUMNS;
  process.env.COLUMNS = String(width);
  try {
    const lines = renderPs([web], now).split('\n');
    expect(lines.filter((l) => l.length > width)).toEqual([]);
    expect(lines[0]).toMatch(/^CONTAINER ID /);
    expect(lines[1]).toMatch(/^2539c738914b .* kitinstrweb$/);
  } finally {
    if (saved === undefined) delete process.env.COLUMNS;
    else process.env.COLUMNS = saved;
  }
});

test('a table too wide even with its other columns at their narrowest leaves the rightmost of them out, never a whole one', () => {
  const text = table(['ID', 'A', 'B', 'NAME'], [['0123456789ab', 'aaaaaaaaaa', 'bbbbbbbbbb', 'a-long-name']], 3, 40, [0, 3]);
  expect(text.split('\n').every((l) => l.length <= 40)).toBe(true);
  expect(text).toMatch(/^ID {13}A {8}NAME$/m);
  expect(text).toContain('0123456789ab');
  expect(text).toContain('a-long-name');
});

test("kit ps has docker ps's PORTS column (host -> container, as Docker writes it) and {{.Ports}}", () => {
  const saved = process.env.COLUMNS;
  process.env.COLUMNS = '250';
  try {
    const [head, row] = renderPs([web], now).split('\n');
    expect(head).toMatch(/^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+PID\s+NAMES$/);
    expect(row).toMatch(/\sUp 1 second\s+0\.0\.0\.0:8080->80\/tcp, 127\.0\.0\.1:5353->53\/udp\s+11646\s+kitinstrweb$/);
    expect(psFields(web, now).Ports).toBe('0.0.0.0:8080->80/tcp, 127.0.0.1:5353->53/udp');
  } finally {
    if (saved === undefined) delete process.env.COLUMNS;
    else process.env.COLUMNS = saved;
  }
});
