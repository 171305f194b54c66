import { join } from 'node:path';
import { cleanKitRoot, kit, kitBackground } from '../support/kit';

/** Streaming and the net chapter's `-- COMMAND`: what an instructor sees while a chapter runs. */
const kr = cleanKitRoot();

/** Each stdout line of a background kit, with when it arrived; resolves when kit exits. */
function watch(args: string[]): Promise<{ lines: Array<{ text: string; at: number }>; status: number | null; endedAt: number }> {
  const child = kitBackground(args, kr.env);
  const lines: Array<{ text: string; at: number }> = [];
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const text of parts) lines.push({ text, at: Date.now() });
  });
  return new Promise((resolve) => child.on('close', (status) => resolve({ lines, status, endedAt: Date.now() })));
}

const arrival = (lines: Array<{ text: string; at: number }>, match: RegExp) => lines.find((l) => match.test(l.text))?.at ?? NaN;

test('through a pipe, the story and the trace arrive while the container still runs, its output as it prints it', async () => {
  const { lines, status } = await watch(['chapter', 'pid', '--', 'sh', '-c', 'echo first; sleep 2; echo second']);
  expect(status).toBe(0);
  const story = arrival(lines, /^Chapter pid:/);
  const clone = arrival(lines, /^\[host\] clone\(/);
  const first = arrival(lines, /^ {2}first$/);
  const second = arrival(lines, /^ {2}second$/);
  const exit = arrival(lines, /\(exit code 0\)/);
  expect(second - story).toBeGreaterThan(1500);
  expect(second - clone).toBeGreaterThan(1500);
  expect(second - first).toBeGreaterThan(1500);
  expect(exit).toBeGreaterThanOrEqual(second);
});

test.each([[['sh', '-c', 'sleep 1']], [['hostname']], [['sh', '-c', 'echo x; ls /']]])('net -- %j returns within 3 s of the command ending', async (command) => {
  const { lines, status, endedAt } = await watch(['chapter', 'net', '--', ...command]);
  expect(status).toBe(0);
  // The exit line is printed when kit reaps the command: from there to kit's own exit (undo, last probes).
  expect(endedAt - arrival(lines, /\(exit code 0\)/)).toBeLessThan(3000);
  const answer = lines.find((l) => l.text.includes('nc 127.0.0.1 8080'));
  if (answer) expect(lines[lines.indexOf(answer) + 1].text).toMatch(/no answer: the container ended/);
});

test('--record, then kit replay at the same width: the same bytes', () => {
  const file = join(kr.root, 'pid.kitrec');
  const live = kit(['chapter', 'pid', '--width', '80', '--record', file], kr.env);
  expect(live.status).toBe(0);
  const replay = kit(['replay', file, '--width', '80', '--instant'], kr.env);
  expect(replay.status).toBe(0);
  expect(replay.stdout).toBe(live.stdout);
});

test("--strace shows the command's own calls from its execve on, kit-init's counted in one line", () => {
  const r = kit(['chapter', 'pid', '--strace', '--no-trace', '--width', '80'], kr.env);
  expect(r.status).toBe(0);
  const lines = r.stdout.split('\n');
  const at = lines.findIndex((l) => l.startsWith('strace of the process inside'));
  expect(lines[at + 1]).toMatch(/^ {2}\(\d+ calls by kit-init before it exec'd the command, not shown/);
  const first = lines.slice(at + 1).find((l) => /^ {2}\d+ +\S/.test(l));
  expect(first).toMatch(/^ {2}\d+ +execve\("\/usr\/bin\/ps", \["ps", "-ef"\]/);
  // strace is the command's tracer: kit cannot hold it at its exec, so the during view is of kit-init, and says so.
  expect(r.stdout).toMatch(/Host during: the container process, seen from the host \(pid \d+\): still\s+kit-init, waiting for its plan/);
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
});

test('kit run --record, then kit replay: the same stdout and stderr, byte for byte, with or without the trace', () => {
  expect(kit(['image', 'ls'], kr.env).status).toBe(0); // builds base first: building it is not part of the run
  const traced = join(kr.root, 'run-traced.kitrec');
  const live = kit(['run', '--trace', '--record', traced, 'base', 'sh', '-c', 'echo out; echo err >&2; echo more; exit 3'], kr.env);
  expect(live.status).toBe(3);
  expect(live.stdout).toBe('out\nmore\n');
  expect(live.stderr).toMatch(/^\[host\] clone\(/m);
  expect(live.stderr).toMatch(/^err$/m);
  const replay = kit(['replay', traced, '--instant'], kr.env);
  expect(replay.status).toBe(0);
  expect(replay.stdout).toBe(live.stdout);
  expect(replay.stderr).toBe(live.stderr);
  expect(kit(['replay', traced, '--instant', '--no-trace'], kr.env).stderr).toBe('err\n');

  // A command that cannot start: no trace asked for, the failed call is the one line, in the replay too.
  const failed = join(kr.root, 'run-failed.kitrec');
  const missing = kit(['run', '--record', failed, 'base', '/no/such/command'], kr.env);
  expect(missing.status).toBe(127);
  expect(missing.stderr).toMatch(/execve\("\/no\/such\/command".*ENOENT/);
  const again = kit(['replay', failed, '--instant'], kr.env);
  expect(again.stdout).toBe(missing.stdout);
  expect(again.stderr).toBe(missing.stderr);
});
