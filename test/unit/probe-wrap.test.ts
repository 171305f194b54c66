import chalk from '../../core/trace/colors';
import type { RecordingHeader, RunRecord } from '../../core';
import { wrapWhole } from '../../core/trace/width';
import { RunRenderer, type Chunk } from '../../bin/render/run-stream';
import { natRules } from '../../core/probes/nat-rules';
import { containerDirs, storageDrivers, upperDir } from '../../core/probes/storage';
import { containerProcess } from '../../core/probes/container-process';
import { cpuUsage } from '../../core/probes/cpu-usage';

const level = chalk.level;
beforeAll(() => (chalk.level = 0));
afterAll(() => (chalk.level = level));

const header: RecordingHeader = {
  kitrec: 1, kind: 'chapter', kit: '0.1.0', recordedAt: '2026-01-01T00:00:00Z', command: ['chapter', 'net'], invocation: 'sudo kit',
  host: { kernel: '6.1', cgroup: 'v2', arch: 'x64', node: 'v20' },
  chapter: { id: 'net', title: 'net', story: 'story', takeaway: 'takeaway', tryNext: [] },
};

function render(records: RunRecord[], width: number): string[] {
  const chunks: Chunk[] = [];
  const renderer = new RunRenderer(header, { trace: true, explain: false, width, big: false }, (c) => chunks.push(c));
  for (const r of records) renderer.feed(r);
  return chunks.flatMap((c) => ('text' in c ? [c.text] : []));
}

const squeeze = (text: string) => text.replace(/\s+/g, '');
const DNAT = '-A KIT ! -i kit0 -p tcp -m tcp --dport 8080 -m comment --comment "kit:60122cee283b" -j DNAT --to-destination 172.29.0.2:80';

test("the net chapter at 60 and 80 columns: the DNAT rule the run added is shown whole, wrapped under its text after the + (it was cut before '-j DNAT')", () => {
  for (const width of [60, 80]) {
    const before = { probe: 'nat-rules', title: 'nat', text: '-P PREROUTING ACCEPT\n-N KIT', wrap: true };
    const lines = render([
      { type: 'probes', phase: 'before', results: [before] },
      { type: 'probes', phase: 'during', results: [{ ...before, text: `${before.text}\n${DNAT}` }] },
    ], width);
    expect(lines.filter((l) => l.length > width)).toEqual([]);
    const at = lines.findIndex((l) => l.startsWith('  + -A KIT'));
    const rule = [lines[at], ...lines.slice(at + 1).filter((l, i, all) => all.slice(0, i + 1).every((x) => x.startsWith('      ')))];
    expect(rule.length).toBeGreaterThan(1);
    expect(squeeze(rule.join(''))).toBe(squeeze(`+${DNAT}`));
  }
});

test('a table probe (no wrap) still loses columns, never rows', () => {
  const ps = { probe: 'processes', title: 'ps', text: `UID PID CMD\nroot 1 ${'x'.repeat(100)}` };
  const lines = render([{ type: 'probes', phase: 'before', results: [ps] }], 60);
  expect(lines.filter((l) => l.length > 60)).toEqual([]);
  expect(lines.filter((l) => l.startsWith('  '))).toHaveLength(2);
  expect(lines.some((l) => l.endsWith('…'))).toBe(true);
});

test('wrapWhole keeps every character: a word wider than the line is broken across lines, the spacing between words kept', () => {
  const mount = '  48 27 0:40 / /merged rw - overlay overlay rw,lowerdir=/tmp/kit-x/data/layers/e0db9f6e9729c9d6661bf47a5c2d6596b8f3758ef33f4e0b397ade42f6329aac/diff,upperdir=/tmp/d';
  const lines = wrapWhole(mount, 40, 2);
  expect(lines.every((l) => l.length <= 40)).toBe(true);
  expect(lines.slice(1).every((l) => l.startsWith('    '))).toBe(true);
  expect(squeeze(lines.join(''))).toBe(squeeze(mount));
  expect(wrapWhole('  btrfs        works here, but not picked by itself', 30, 2)).toEqual(['  btrfs        works here, but', '    not picked by itself']);
  expect(wrapWhole('short', 40)).toEqual(['short']);
});

test('the probes whose lines are data to read whole are marked to wrap', () => {
  for (const probe of [natRules, containerDirs, upperDir, storageDrivers, containerProcess, cpuUsage]) expect(probe.wrap).toBe(true);
});

test("what the command printed is shown whole at 60 columns (kit chapter chroot -- cat /etc/passwd lost each line's end), wrapped lines going on under it", () => {
  const passwd = 'systemd-network:x:998:998:systemd Network Management:/nonexistent:/usr/sbin/nologin with a longer gecos field';
  const lines = render([
    { type: 'output', stream: 'stdout', text: `root:x:0:0:root:/root:/bin/bash\n${passwd}\n` },
    { type: 'exit', exitCode: 0, signal: null, stoppedByKit: false },
  ], 60);
  expect(lines.filter((l) => l.length > 60)).toEqual([]);
  const at = lines.findIndex((l) => l.startsWith('  systemd-network'));
  expect(lines[at + 1].startsWith('    ')).toBe(true);
  let end = at + 1;
  while (lines[end]?.startsWith('    ')) end++;
  expect(squeeze(lines.slice(at, end).join(''))).toBe(squeeze(passwd));
  expect(lines).toContain('  root:x:0:0:root:/root:/bin/bash');
});

test('the escape report and a comparison run\'s output are marked to wrap: "stopped by" is read whole', () => {
  const { escapeReport } = require('../../core/curriculum/escape-attacks') as typeof import('../../core/curriculum/escape-attacks');
  const none = { stdout: '', stderr: '', exitCode: 0, signal: null, notes: [] };
  expect(escapeReport(none, none, []).wrap).toBe(true);
});
