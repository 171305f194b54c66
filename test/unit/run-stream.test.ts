import chalk from '../../core/trace/colors';
import type { RecordingHeader, RunRecord, TraceEvent } from '../../core';
import { RunRenderer, type Chunk, type StreamView } from '../../bin/render/run-stream';

const level = chalk.level;
beforeAll(() => (chalk.level = 0));
afterAll(() => (chalk.level = level));

const header: RecordingHeader = {
  kitrec: 1, kind: 'chapter', kit: '0.1.0', recordedAt: '2026-01-01T00:00:00Z', command: ['chapter', 'demo'], invocation: 'sudo npx kit',
  host: { kernel: '6.1', cgroup: 'v2', arch: 'x64', node: 'v20' },
  chapter: {
    id: 'demo', title: 'A demo', story: 'One line of story.', takeaway: 'What to see.',
    tryNext: ['sudo kit chapter demo -- sh -c "echo a very long command that goes on and on"   # and a comment that explains it at length'],
    explain: { mount: 'mount(2) attaches a filesystem; this paragraph must appear only once per chapter.' },
  },
};

const mount = (target: string): TraceEvent => ({
  syscall: 'mount', args: ['"proc"', `"${target}"`, '"proc"', 'MS_NOSUID', 'NULL'], ret: 0, errno: null, errnoMessage: null,
  durationUs: 10, side: 'container', step: 1, pending: false, why: 'a why that is long enough to need wrapping at forty columns for sure',
});

function render(records: RunRecord[], view: Partial<StreamView> = {}): { text: string; chunks: Chunk[] } {
  const chunks: Chunk[] = [];
  const renderer = new RunRenderer(header, { trace: true, explain: false, width: Infinity, big: false, ...view }, (c) => chunks.push(c));
  renderer.start();
  for (const r of records) renderer.feed(r);
  return { text: chunks.flatMap((c) => ('text' in c ? [c.text] : [])).join('\n'), chunks };
}

const run: RunRecord[] = [
  { type: 'probes', phase: 'before', results: [{ probe: 'hostname', title: "the host's hostname", text: 'vm' }] },
  { type: 'trace', event: mount('/proc') },
  { type: 'trace', event: mount('/sys') },
  { type: 'output', stream: 'stdout', text: 'first li' },
  { type: 'output', stream: 'stdout', text: 'ne\nsecond' },
  { type: 'exit', exitCode: 0, signal: null, stoppedByKit: false },
  { type: 'probes', phase: 'after', results: [{ probe: 'hostname', title: "the host's hostname", text: 'vm' }] },
  { type: 'end', result: {} },
];

test('sections come in the order things happened; output lines are joined across chunks', () => {
  const { text } = render(run);
  const order = ['Chapter demo: A demo', 'Host before', 'What kit did', 'Inside the container', '  first line', '  second', '(exit code 0)', 'Host after', 'What to notice', 'Try this'];
  const at = order.map((s) => text.indexOf(s));
  expect(at.every((i) => i >= 0)).toBe(true);
  expect([...at].sort((a, b) => a - b)).toEqual(at);
});

test('--explain explains each kind of call once, under its first call', () => {
  const { text } = render(run, { explain: true });
  expect(text.split('must appear only once').length - 1).toBe(1);
  expect(text.indexOf('must appear only once')).toBeLessThan(text.indexOf('"/sys"'));
});

test('a view identical to before says "no change" and carries no + or - marks', () => {
  const { text } = render(run);
  expect(text).toContain("Host after: the host's hostname: no change");
  expect(text).not.toMatch(/^\s*[+-] /m);
});

test('at 40 columns no line is wider, the trace call keeps its result, the try line its command', () => {
  const { text } = render(run, { width: 40 });
  for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(40);
  expect(text).toMatch(/^\[ctr \] mount\(.*….*\) = 0$/m);
  expect(text).toContain('sudo npx kit chapter demo');
});

test('--big: banner headings, a blank line after every call; each section starts a chunk of its own', () => {
  const { text, chunks } = render(run, { big: true });
  expect(text).toContain('WHAT KIT DID');
  expect(text).toMatch(/= 0\n(.*\n)*?\n\[ctr \]/);
  expect(chunks.filter((c) => 'section' in c).length).toBeGreaterThanOrEqual(6);
});

test('output that never came is "(no output)"; a stop by kit says so instead of an exit code', () => {
  const { text } = render([{ type: 'exit', exitCode: null, signal: 'SIGKILL', stoppedByKit: true }]);
  expect(text).toContain('(no output)');
  expect(text).toContain('stopped by kit with SIGKILL');
  // The probes it waited for come before the exit line in the stream.
  expect(text).toContain('once the probes above were taken');
});

test('the exit line fits a narrow terminal: a stop by kit wraps at 60 columns, no word lost', () => {
  const { text } = render([{ type: 'exit', exitCode: null, signal: 'SIGKILL', stoppedByKit: true }], { width: 60 });
  expect(text.split('\n').filter((l) => l.length > 60)).toEqual([]);
  expect(text.replace(/\s+/g, ' ')).toContain('(stopped by kit with SIGKILL once the probes above were taken)');
});

test('a Try line too wide breaks between shell words, never inside quotes; kit is named as this machine starts it', () => {
  const tryNext = [
    "sudo kit chapter user -- sh -c 'cat /proc/self/uid_map; touch /etc/kit-test'   # root inside",
    'ipcmk -Q && ipcs -q && sudo kit chapter ipc',
    'kit chapter user   # without sudo',
  ];
  const chunks: Chunk[] = [];
  const renderer = new RunRenderer({ ...header, chapter: { ...header.chapter!, tryNext } }, { trace: true, explain: false, width: 80, big: false }, (c) => chunks.push(c));
  renderer.feed({ type: 'end', result: {} });
  const text = chunks.flatMap((c) => ('text' in c ? [c.text] : [])).join('\n');
  expect(text).toContain("  sudo npx kit chapter user -- sh -c \\\n    'cat /proc/self/uid_map; touch /etc/kit-test'\n      # root inside");
  expect(text).toContain('  ipcmk -Q && ipcs -q && sudo npx kit chapter ipc');
  expect(text).toContain('  npx kit chapter user   # without sudo');
  for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
});

test("a story's numbered list rewraps at a narrow width: an item's lines hang under its text, commands stay lines of their own", () => {
  const story = [
    'A first paragraph that is long enough to be wrapped at sixty columns, at least once.',
    '  1. the Network: a bridge, kit0 (Docker\'s docker0), a virtual switch on the',
    '     host with the subnet\'s first address, the containers\' gateway. Shared by',
    '     every container.',
    '  2. the Endpoint: a veth pair.',
    'After the list, a paragraph of its own.',
    '  chroot(".")        # a command line, kept',
    '  chdir("..")        # and the next one',
  ].join('\n');
  const chunks: Chunk[] = [];
  const renderer = new RunRenderer({ ...header, chapter: { ...header.chapter!, story } }, { trace: true, explain: false, width: 60, big: false }, (c) => chunks.push(c));
  renderer.start();
  const lines = chunks.flatMap((c) => ('text' in c ? [c.text] : []));
  expect(lines.filter((l) => l.length > 60)).toEqual([]);
  const one = lines.indexOf(lines.find((l) => l.startsWith('  1. '))!);
  const two = lines.indexOf(lines.find((l) => l.startsWith('  2. '))!);
  expect(two - one).toBeGreaterThan(2);
  for (const l of lines.slice(one + 1, two)) expect(l).toMatch(/^ {5}\S/);
  expect(lines).toContain('After the list, a paragraph of its own.');
  expect(lines).toContain('  chroot(".")        # a command line, kept');
  expect(lines).toContain('  chdir("..")        # and the next one');
  const words = (s: string) => s.split(/\s+/).filter(Boolean);
  expect(words(lines.join(' '))).toEqual(expect.arrayContaining(words(story)));
});

test("a point not shown is put down to what the run had: the learner's command, a driver flag (the chapter's own Try line), or the host", () => {
  const said = (command: string[]) => {
    const chunks: Chunk[] = [];
    const renderer = new RunRenderer({ ...header, command }, { trace: true, explain: false, width: 200, big: false }, (c) => chunks.push(c));
    renderer.start();
    renderer.feed({ type: 'end', result: {}, claims: [{ says: 'the upper dir holds etc/motd', held: false }] } as RunRecord);
    return chunks.flatMap((c) => ('text' in c ? [c.text] : [])).join('\n');
  };
  expect(said(['chapter', 'layers', '--storage-driver', 'vfs'])).toContain('happened in this run (--storage-driver vfs, or this host).');
  expect(said(['chapter', 'layers', '--storage-driver=btrfs'])).toContain('(--storage-driver=btrfs, or this host).');
  expect(said(['chapter', 'pid', '--', 'sh', '-c', 'ps'])).toContain('(your own command, or this host).');
  expect(said(['chapter', 'pid'])).toContain('happened in this run (this host).');
});

test("every point held with the learner's own command (kit chapter chroot -- cat /etc/passwd): the takeaway, which tells what the chapter's own command printed, is left out", () => {
  const said = (command: string[]) => {
    const chunks: Chunk[] = [];
    const renderer = new RunRenderer({ ...header, command }, { trace: true, explain: false, width: 200, big: false }, (c) => chunks.push(c));
    renderer.start();
    renderer.feed({ type: 'end', result: {}, claims: [{ says: 'the escape worked', held: true }] } as RunRecord);
    return chunks.flatMap((c) => ('text' in c ? [c.text] : [])).join('\n');
  };
  const own = said(['chapter', 'chroot', '--', 'cat', '/etc/passwd']);
  expect(own).not.toContain('What to see.');
  expect(own).toContain("Your own command ran instead of the chapter's, so its summary is left out. What the run showed:\n  ✓ the escape worked");
  const chapters = said(['chapter', 'chroot']);
  expect(chapters).toContain('What to see.\n\nChecked against this run:\n  ✓ the escape worked');
});

test("the base image's first build is told in the stream, where it happens, fitted: not on stderr, where it broke into the spinner's line and jumped ahead of paced sections", () => {
  const chunks: Chunk[] = [];
  const renderer = new RunRenderer(header, { trace: true, explain: false, width: 60, big: false }, (c) => chunks.push(c));
  renderer.start();
  const step = '[2/4] copying host programs busybox does not provide (with their ldd libraries): ipcs ipcmk';
  for (const r of [run[0], { type: 'progress', line: "building the default image 'base' (once, offline)" }, { type: 'progress', line: step }, run[1]] as RunRecord[]) renderer.feed(r);
  const lines = chunks.flatMap((c) => ('text' in c ? c.text.split('\n') : []));
  const at = lines.indexOf("kit: building the default image 'base' (once, offline)");
  expect(at).toBeGreaterThan(lines.findIndex((l) => l.startsWith('Host before')));
  expect(lines[at + 1]).toMatch(/^kit: \[2\/4\] copying host programs/);
  expect(lines[at + 2]).toMatch(/^ {5}\S/);
  expect(lines.filter((l) => l.length > 60)).toEqual([]);
  const heading = lines.indexOf('What kit did (one line per syscall)');
  expect(heading).toBeGreaterThan(at + 2);
  expect(lines[heading - 1]).toBe('');
  // no section of its own: --pace and --step do not stop on it
  const sectionsBefore = chunks.slice(0, chunks.findIndex((c) => 'text' in c && c.text.startsWith('kit: building'))).filter((c) => 'section' in c).length;
  const sectionsAfter = chunks.slice(0, chunks.findIndex((c) => 'text' in c && c.text.startsWith('What kit did'))).filter((c) => 'section' in c).length;
  expect(sectionsAfter - sectionsBefore).toBe(1); // the trace's own
});
