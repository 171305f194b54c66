import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cleanKitRoot } from '../support/kit';

/**
 * A chapter on a real terminal, as an instructor runs it in front of a
 * class: `script` gives kit a pty for its stdin and stdout. A slow step
 * shows a spinner that is erased before the next text; --step waits for
 * Enter before each section. Piped, neither adds a byte.
 */
const BIN = join(__dirname, '..', '..', 'bin', 'run.js');
const kr = cleanKitRoot();
const KIT = `"${process.execPath}" "${BIN}"`;

/** One spinner frame as LiveOutput draws it: back to column 0, erase the line, the frame (dim unless NO_COLOR). */
const FRAME = /\r\x1b\[K(?:\x1b\[2m)?[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] working \(\d+\.\d s\)(?:\x1b\[22m|\x1b\[0m)?/g;
const ERASE = '\r\x1b[K';

/** A shell line in a fresh 30x100 terminal; the raw bytes kit wrote to it (\r and escapes kept). */
function terminal(line: string) {
  const child = spawn('script', ['-qfec', `stty rows 30 cols 100 -onlcr; ${line}; echo "kit-exit=$?"`, '/dev/null'], { env: { ...kr.env, TERM: 'dumb' }, stdio: ['pipe', 'pipe', 'inherit'] });
  let raw = '';
  // When each stretch of bytes arrived: [length of raw after it, ms since start].
  const arrivals: Array<[number, number]> = [];
  const start = Date.now();
  child.stdout.on('data', (chunk: Buffer) => {
    raw += chunk.toString('utf8');
    arrivals.push([raw.length, Date.now() - start]);
  });
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return {
    type: (keys: string) => child.stdin.write(keys),
    raw: () => raw,
    /** When the byte at `index` of raw() reached the terminal (ms since start). */
    shownAt: (index: number) => arrivals.find(([length]) => length > index)![1],
    async see(text: string, from = 0, timeoutMs = 30000): Promise<number> {
      const end = Date.now() + timeoutMs;
      while (raw.indexOf(text, from) < 0) {
        if (Date.now() > end) throw new Error(`the terminal never showed ${JSON.stringify(text)}; it shows:\n${raw}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return raw.indexOf(text, from);
    },
    async done(): Promise<string> {
      child.stdin.end();
      await closed;
      return raw;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('on a terminal a slow step shows a spinner, erased before the next line; piped there is none', async () => {
  const command = "-- sh -c 'echo early; sleep 2; echo late'";
  const raw = await terminal(`${KIT} chapter uts --width 100 ${command}`).done();
  expect(raw).toContain('kit-exit=0');
  const frames = [...raw.matchAll(FRAME)];
  // The two quiet seconds inside the container: frames between its two lines.
  const early = raw.indexOf('  early\n');
  const late = raw.indexOf('  late\n');
  expect(early).toBeGreaterThan(0);
  const during = frames.filter((f) => f.index! > early && f.index! < late);
  expect(during.length).toBeGreaterThan(5);
  expect(during.at(-1)![0]).toMatch(/working \((1\.\d|2\.\d) s\)/);
  // Every frame is followed by the next frame or by the erase: no frame is left on screen.
  for (const frame of frames) expect(raw.slice(frame.index! + frame[0].length).startsWith(ERASE)).toBe(true);
  // Without the frames and erases, the screen is plain lines.
  const text = raw.replace(FRAME, '').split(ERASE).join('');
  expect(text).not.toMatch(/[\r\x1b]/);
  expect(text).toContain('  late\n');

  const piped = spawnSync(process.execPath, [BIN, 'chapter', 'uts', '--width', '100', '--', 'sh', '-c', 'echo early; sleep 2; echo late'], { env: kr.env, encoding: 'utf8' });
  expect(piped.status).toBe(0);
  expect(piped.stdout).toContain('  late\n');
  expect(piped.stdout).not.toMatch(/working \(|[\r\x1b]/);
}, 90000);

test('--step holds each section until Enter, the run going on behind it; piped, it prints no prompt', async () => {
  const t = terminal(`${KIT} chapter uts --step --width 100`);
  let at = await t.see('(Enter: next)');
  // The story and the first section came at once; the next section waits, however long it takes.
  expect(t.raw()).toContain('Chapter uts:');
  await sleep(3000);
  expect(t.raw().slice(at)).not.toContain('What kit did');
  let enters = 0;
  while (!t.raw().includes('kit-exit=')) {
    const shown = t.raw().length;
    t.type('\n');
    enters++;
    // Enter releases the next section at once: the prompt is erased and text follows.
    at = await t.see(ERASE, shown, 10000);
    await sleep(300);
    if (enters > 30) throw new Error(`still waiting after ${enters} Enters:\n${t.raw()}`);
  }
  const raw = await t.done();
  expect(enters).toBeGreaterThanOrEqual(4);
  expect(raw).toContain('kit-exit=0');
  for (const heading of ['What kit did', 'Inside the container', 'Host during', 'Host after', 'What to notice', 'Try this']) expect(raw).toContain(heading);

  const piped = spawnSync(process.execPath, [BIN, 'chapter', 'uts', '--step', '--width', '100'], { env: kr.env, encoding: 'utf8', input: '\n'.repeat(40) });
  expect(piped.status).toBe(0);
  expect(piped.stdout).toContain('Try this');
  expect(piped.stdout).not.toMatch(/Enter: next|[\r\x1b]/);
}, 90000);

/** The screen's text: spinner frames and their erases taken out. */
const plain = (raw: string) => raw.replace(FRAME, '').split(ERASE).join('');
const SECTIONS = ['What kit did', 'Host during', 'Inside the container', 'Host after', 'What to notice', 'Try this'];

/** When each section's heading reached the terminal, in order (each must appear, after the one before). */
function headingTimes(t: ReturnType<typeof terminal>): number[] {
  const raw = t.raw();
  let from = 0;
  return SECTIONS.map((heading) => {
    const at = raw.indexOf(heading, from);
    if (at < 0) throw new Error(`no ${heading} after byte ${from}:\n${raw}`);
    from = at;
    return t.shownAt(at);
  });
}

test('--pace on a terminal: each section appears at least 2 s after the one before, plain text between; piped it adds no byte either', async () => {
  const t = terminal(`${KIT} chapter uts --pace --width 100`);
  const raw = await t.done();
  expect(raw).toContain('kit-exit=0');
  const times = headingTimes(t);
  const gaps = times.slice(1).map((time, i) => time - times[i]);
  for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1900);
  expect(plain(raw)).not.toMatch(/[\r\x1b]/);

  const piped = spawnSync(process.execPath, [BIN, 'chapter', 'uts', '--pace', '--width', '100'], { env: kr.env, encoding: 'utf8' });
  expect(piped.status).toBe(0);
  for (const heading of SECTIONS) expect(piped.stdout).toContain(heading);
  expect(piped.stdout).not.toMatch(/working \(|[\r\x1b]/);
}, 120000);

test('kit replay on a terminal: the recorded quiet seconds show the spinner, erased; the text is the instant replay\'s byte for byte; --pace holds each section 2 s', async () => {
  const file = join(kr.root, 'terminal-uts.kitrec');
  const recorded = spawnSync(process.execPath, [BIN, 'chapter', 'uts', '--width', '100', '--record', file, '--', 'sh', '-c', 'echo early; sleep 2; echo late'], { env: kr.env, encoding: 'utf8' });
  expect(recorded.status).toBe(0);
  const instant = spawnSync(process.execPath, [BIN, 'replay', file, '--width', '100', '--instant'], { env: kr.env, encoding: 'utf8' });
  expect(instant.status).toBe(0);

  // With the run's own timing: the two seconds between "early" and "late" are replayed, with the spinner.
  const timed = terminal(`${KIT} replay ${file} --width 100`);
  const raw = await timed.done();
  expect(raw).toContain('kit-exit=0');
  const early = raw.indexOf('  early\n');
  const late = raw.indexOf('  late\n');
  expect(early).toBeGreaterThan(0);
  expect(timed.shownAt(late) - timed.shownAt(early)).toBeGreaterThanOrEqual(1500);
  const frames = [...raw.matchAll(FRAME)].filter((f) => f.index! > early && f.index! < late);
  expect(frames.length).toBeGreaterThan(5);
  for (const frame of raw.matchAll(FRAME)) expect(raw.slice(frame.index! + frame[0].length).startsWith(ERASE)).toBe(true);
  expect(plain(raw).replace(/kit-exit=0\n?$/, '')).toBe(instant.stdout);

  // Paced: each section held 2 s, the same text.
  const paced = terminal(`${KIT} replay ${file} --width 100 --pace`);
  const pacedRaw = await paced.done();
  const times = headingTimes(paced);
  for (const gap of times.slice(1).map((time, i) => time - times[i])) expect(gap).toBeGreaterThanOrEqual(1900);
  expect(plain(pacedRaw).replace(/kit-exit=0\n?$/, '')).toBe(instant.stdout);
}, 120000);
