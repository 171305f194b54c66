import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecording } from '../../core/record/file';

/**
 * kit replay as a student runs it on a laptop: no root, and no native addon
 * (a copy of the CLI without native-rs/), on the committed examples.
 */
const repo = join(__dirname, '..', '..');
const examples = join(repo, 'examples');
const copy = mkdtempSync(join(tmpdir(), 'kit-replay-'));
for (const part of ['bin', 'dist', 'package.json', 'oclif.manifest.json']) cpSync(join(repo, part), join(copy, part), { recursive: true });
symlinkSync(join(repo, 'node_modules'), join(copy, 'node_modules'));
chmodSync(copy, 0o755);
afterAll(() => rmSync(copy, { recursive: true, force: true }));

/** As nobody when the tests run as root; as whoever runs them otherwise. */
function replay(args: string[]) {
  const argv = [process.execPath, join(copy, 'bin', 'run.js'), 'replay', ...args];
  const asNobody = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
  const all = [...asNobody, ...argv];
  return spawnSync(all[0], all.slice(1), { encoding: 'utf8', env: { ...process.env, HOME: tmpdir(), NO_COLOR: '1', FORCE_COLOR: '0' } });
}

const recordings = readdirSync(examples).filter((f) => f.endsWith('.kitrec'));

test('every committed recording is one this kit reads, with the run\'s end and its checked claims', () => {
  expect(recordings.length).toBeGreaterThan(10);
  for (const file of recordings) {
    const { header, records } = readRecording(join(examples, file));
    expect(header.chapter?.id).toBe(file.replace(/\.kitrec$/, ''));
    const end = records.find((r) => r.type === 'end');
    expect(end && end.type === 'end' && end.claims?.every((c) => c.held)).toBe(true);
  }
});

/** A few through the CLI (each is a node start): the whole chapter, as a student sees it. */
const replayed = ['pid.kitrec', 'net.kitrec', 'cgroup.kitrec', 'layers.kitrec'];

test.each(replayed)('%s replays without root or the addon, at 80 columns', (file) => {
  const r = replay([join(examples, file), '--width', '80', '--instant']);
  expect(r.stderr.replace(/.*oclif update available.*\n?/, '')).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(new RegExp(`^Chapter ${file.replace(/\.kitrec$/, '')}: `));
  expect(r.stdout).toContain('Try this');
  for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
});

test('a recording from a newer kit, or a corrupt one, is one clear line and exit 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kit-replay-bad-'));
  chmodSync(dir, 0o755);
  const newer = join(dir, 'newer.kitrec');
  writeFileSync(newer, JSON.stringify({ kitrec: 99, kind: 'chapter', kit: '9.0.0' }) + '\n');
  const corrupt = join(dir, 'corrupt.kitrec');
  writeFileSync(corrupt, readFileSync(join(examples, 'uts.kitrec'), 'utf8').split('\n').slice(0, 3).join('\n') + '\n{"t": 5, "type": "trace", "ev\n');
  for (const [file, message] of [
    [newer, /newer.kitrec was recorded by a newer kit \(format 99; this kit reads format 2 and older\); replay it with kit 9\.0\.0 or later/],
    [corrupt, /corrupt.kitrec is not a readable kit recording: line 4: .*; record the run again with --record/],
    [join(dir, 'missing.kitrec'), /cannot read .*missing.kitrec: ENOENT/],
  ] as const) {
    const r = replay([file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.replace(/.*oclif update available.*\n?/, '').trim().split('\n')).toEqual([expect.stringMatching(message)]);
  }
  rmSync(dir, { recursive: true, force: true });
});

test("a recording with the base image's first build in it (a progress record) replays, the steps where they happened", () => {
  const dir = mkdtempSync(join(tmpdir(), 'kit-replay-progress-'));
  try {
    const file = join(dir, 'mount.kitrec');
    const header = { kitrec: 2, kind: 'chapter', kit: '0.1.0', recordedAt: '2026-01-01T00:00:00Z', command: ['chapter', 'mount'], invocation: 'sudo kit', host: { kernel: '6.1', cgroup: 'v2', arch: 'x64', node: 'v20' }, chapter: { id: 'mount', title: 'm', story: 's', takeaway: 't', tryNext: [] } };
    const records = [{ t: 1, type: 'progress', line: "building the default image 'base' (once, offline)" }, { t: 2, type: 'end', result: {}, claims: [] }];
    writeFileSync(file, [header, ...records].map((r) => JSON.stringify(r)).join('\n') + '\n');
    const r = spawnSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'run.js'), 'replay', file, '--instant', '--width', '80'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("kit: building the default image 'base' (once, offline)");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
