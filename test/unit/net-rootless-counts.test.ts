import chalk from '../../core/trace/colors';
import type { RecordingHeader, RunRecord } from '../../core';
import { RunRenderer, type Chunk } from '../../bin/render/run-stream';
import net from '../../chapters/net';
import { checkClaims, type ChapterResultData } from '../../core/curriculum/claims';
import { hostLinks } from '../../core/probes/host-links';

const level = chalk.level;
beforeAll(() => (chalk.level = 0));
afterAll(() => (chalk.level = level));

const header: RecordingHeader = {
  kitrec: 1, kind: 'chapter', kit: '0.1.0', recordedAt: '2026-01-01T00:00:00Z', command: ['chapter', 'net'], invocation: 'npx kit',
  host: { kernel: '6.1', cgroup: 'v2', arch: 'x64', node: 'v20' },
  chapter: { id: 'net', title: 'net', story: 'story', takeaway: 'takeaway', tryNext: [] },
};

function render(records: RunRecord[]): string {
  const chunks: Chunk[] = [];
  const renderer = new RunRenderer(header, { trace: true, explain: false, width: 80, big: false }, (c) => chunks.push(c));
  renderer.start();
  for (const r of records) renderer.feed(r);
  return chunks.flatMap((c) => ('text' in c ? [c.text] : [])).join('\n');
}

const links = (n: number) => Array.from({ length: n }, (_, i) => `link${i}           UP             02:00:00:00:00:0${i % 10} <BROADCAST,UP>`).join('\n');

test("the net chapter without root: the host's links are counted, and 'the same N lines' after the run is that count (no header line)", async () => {
  const probe = { probe: 'host-links', ...(await hostLinks.run({})) } as { probe: string; title: string; text: string };
  const count = Number(/^the host's (\d+) links \(ip -br link\)$/.exec(probe.title)?.[1]);
  expect(count).toBeGreaterThan(0);
  expect(probe.text.split('\n').filter((l) => l.trim()).length).toBe(Math.min(count, 13)); // at most 12 and a '... (N more lines)'
  const text = render([
    { type: 'probes', phase: 'before', results: [probe] },
    { type: 'probes', phase: 'after', results: [probe] },
  ]);
  expect(text).toContain(`Host before: the host's ${count} links (ip -br link)`);
  if (count > 4) expect(text).toContain(`(the same ${count} lines as before the run)`);
});

test.each([5, 20])("%i links: the title, 'the same N lines' and the claim say one number", (n) => {
  const listed = n > 12 ? `${links(12)}\n... (${n - 12} more lines)` : links(n);
  const probe = { probe: 'host-links', title: `the host's ${n} links (ip -br link)`, text: listed };
  const text = render([
    { type: 'probes', phase: 'before', results: [probe] },
    { type: 'probes', phase: 'after', results: [probe] },
  ]);
  expect(text).toContain(`(the same ${n} lines as before the run)`);
  const run: ChapterResultData = { before: [probe], during: [], running: [], after: [probe], trace: [], container: { stdout: '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536\n', stderr: '', exitCode: 0, signal: null, notes: [] } };
  const claim = checkClaims(net.withoutRoot?.claims ?? [], run).find((c) => c.says.includes("host's"));
  expect(claim).toEqual({ says: `none of the host's ${n} links is inside`, held: true });
});
