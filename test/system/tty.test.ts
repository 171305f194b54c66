import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cleanKitRoot, kit } from '../support/kit';
import { terminal as terminalWith } from '../support/terminal';

/**
 * -it through a real terminal: `script` gives kit a pty as its stdin and
 * stdout, as a user's terminal would; the test types into it.
 */
const BIN = join(__dirname, '..', '..', 'bin', 'run.js');
const name = `tty${process.pid}`;
const kr = cleanKitRoot(() => kit(['rm', '-f', name], kr.env));

beforeAll(() => expect(kit(['image', 'ls'], kr.env).status).toBe(0)); // builds base once

const terminal = (line: string) => terminalWith(line, kr.env);

test('-it: a shell on /dev/pts/0 of its own devpts, Ctrl-C reaches the container, its exit code is kit\'s, the host terminal is restored', async () => {
  const t = terminal(`"${process.execPath}" "${BIN}" run -it base sh; echo "kit-exit=$?"; stty -a`);
  await t.see('/ # ');
  t.type('tty\n');
  await t.see('/dev/pts/0\n');
  let mark = t.screen().length;
  t.type('sleep 30\n');
  await new Promise((r) => setTimeout(r, 1000));
  t.type('\x03'); // Ctrl-C: the pty's line discipline signals the foreground process group inside
  await t.see('/ # ', mark);
  mark = t.screen().length;
  t.type('echo "after ctrl-c: $?"\n');
  await t.see('after ctrl-c: 130', mark);
  t.type('exit 3\n');
  const screen = await t.done();
  expect(screen).toContain('kit-exit=3');
  // kit put its terminal back: canonical mode and echo, as before it went raw
  const settings = screen.slice(screen.indexOf('kit-exit=3'));
  expect(settings).toMatch(/(^|\s)icanon(\s|$)/m);
  expect(settings).toMatch(/(^|\s)echo(\s|$)/m);
}, 90000);

test('-t: the window size at start is the terminal\'s, and a resize reaches the container (SIGWINCH)', async () => {
  const t = terminal(`(trap '' TTOU; sleep 8; stty rows 50 cols 120 < /dev/tty) & "${process.execPath}" "${BIN}" run -it base sh`);
  await t.see('/ # ');
  t.type('stty size\n');
  await t.see('30 90\n');
  await new Promise((r) => setTimeout(r, 9000)); // the resize has happened
  const mark = t.screen().length;
  t.type('stty size\n');
  await t.see('50 120\n', mark);
  t.type('exit\n');
  await t.done();
}, 90000);

test('kit exec -it gets a terminal in a running container; -it with a pipe for stdin is refused like docker, exit 125', async () => {
  expect(kit(['run', '-d', '--name', name, 'base', 'sleep', '300'], kr.env).status).toBe(0);
  const t = terminal(`"${process.execPath}" "${BIN}" exec -it ${name} sh`);
  await t.see('# ');
  t.type('tty; exit 4\n');
  await t.see('/dev/pts/');
  await t.done();
  const piped = spawnSync(process.execPath, [BIN, 'run', '-it', 'base', 'sh'], { env: kr.env, input: 'echo hi\n', encoding: 'utf8' });
  expect(piped.status).toBe(125);
  expect(piped.stderr.trim()).toBe('kit: the input device is not a TTY; drop -t to pipe input to the container (-i alone), or run kit in a terminal');
  expect(kit(['rm', '-f', name], kr.env).status).toBe(0);
}, 90000);

test('-t without -i: the output comes through the pty (one stream), with the exit code', () => {
  const r = spawnSync('script', ['-qec', `"${process.execPath}" "${BIN}" run -t base sh -c 'tty; echo to-stderr >&2; exit 6'; echo "kit-exit=$?"`, '/dev/null'], { env: kr.env, encoding: 'utf8' });
  const screen = r.stdout.replace(/\r/g, '');
  expect(screen).toContain('/dev/pts/0\nto-stderr\n');
  expect(screen).toContain('kit-exit=6');
});

test('-it -u 1000: the terminal is the user\'s (fchown, group kept), so the shell can reopen it as /dev/tty', async () => {
  const t = terminal(`"${process.execPath}" "${BIN}" run -it -u 1000 base sh; echo "kit-exit=$?"`);
  await t.see('$ ');
  t.type('stat -c owner=%u $(tty); echo via-dev-tty > /dev/tty && echo reopened\n');
  await t.see('owner=1000\n');
  await t.see('via-dev-tty\nreopened\n');
  t.type('exit 2\n');
  expect(await t.done()).toContain('kit-exit=2');
}, 90000);
