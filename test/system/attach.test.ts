import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { alive, cleanKitRoot, eventually, kit } from '../support/kit';
import { terminal } from '../support/terminal';

/**
 * Detach and attach, as Docker's: a -it container belongs to its shim, so
 * Ctrl-P Ctrl-Q leaves it running and `kit attach` goes back to it, through
 * a real terminal (`script`).
 */
const BIN = join(__dirname, '..', '..', 'bin', 'run.js');
const KIT = `"${process.execPath}" "${BIN}"`;
const names = ['it', 'dit', 'di', 'sig', 'plain', 'sa', 'sai', 'sit'].map((n) => `att${n}${process.pid}`);
const [itName, ditName, diName, sigName, plainName, saName, saiName, sitName] = names;
const kr = cleanKitRoot(() => kit(['rm', '-f', ...names], kr.env));

beforeAll(() => expect(kit(['image', 'ls'], kr.env).status).toBe(0)); // builds base once

interface Inspected {
  State: { Running: boolean; Pid: number; ExitCode: number };
}
const state = (name: string) => (JSON.parse(kit(['inspect', name], kr.env).stdout) as Inspected[])[0].State;

test('kit run -it, Ctrl-P Ctrl-Q: "read escape sequence", the container runs on; kit attach types into it again; its exit code is attach\'s; the host is clean after', async () => {
  const t = terminal(`${KIT} run -it --name ${itName} base sh; echo "kit-exit=$?"`, kr.env);
  await t.see('/ # ');
  t.type('echo first-$((6*7))\n');
  await t.see('first-42\n');
  t.type('\x10\x11'); // Ctrl-P Ctrl-Q
  await t.see('read escape sequence\n');
  await t.see('kit-exit=0');
  await t.done();
  const running = state(itName);
  expect(running.Running).toBe(true);
  expect(alive(running.Pid)).toBe(true);
  expect(kit(['ps'], kr.env).stdout).toContain(itName);

  const a = terminal(`${KIT} attach ${itName}; echo "attach-exit=$?"`, kr.env);
  await new Promise((r) => setTimeout(r, 1500)); // attached (nothing is shown until the shell prints)
  a.type('echo second-$((7*7)) $(tty)\n');
  await a.see('second-49 /dev/pts/0\n');
  a.type('exit 7\n');
  await a.see('attach-exit=7');
  await a.done();
  await eventually(() => !alive(running.Pid));
  expect(state(itName)).toMatchObject({ Running: false, ExitCode: 7 });
  // the whole session is in its log, both halves
  const logs = kit(['logs', itName], kr.env).stdout;
  expect(logs).toContain('first-42');
  expect(logs).toContain('second-49');
  expect(kit(['rm', itName], kr.env).status).toBe(0);
}, 90000);

test('kit run -dit then attach: the terminal gets its size; --detach-keys of attach detach with exit 1 as docker; a lone first key still reaches the shell', async () => {
  expect(kit(['run', '-dit', '--name', ditName, 'base', 'sh'], kr.env).status).toBe(0);
  const a = terminal(`${KIT} attach --detach-keys ctrl-x,x ${ditName}; echo "attach-exit=$?"`, kr.env);
  await new Promise((r) => setTimeout(r, 1500));
  a.type('stty size\n');
  await a.see('30 90\n');
  let mark = a.screen().length;
  a.type('echo \x18y-passed\n'); // ctrl-x then y: not the sequence, both go on (the shell sees ^X, then y)
  await a.see('y-passed', mark);
  mark = a.screen().length;
  a.type('\x18x');
  await a.see('read escape sequence\n', mark);
  await a.see('attach-exit=1', mark);
  await a.done();
  expect(state(ditName).Running).toBe(true);
  // a tty container wants a terminal to attach stdin to, as docker says
  const piped = spawnSync(process.execPath, [BIN, 'attach', ditName], { env: kr.env, input: 'echo hi\n', encoding: 'utf8', timeout: 20000 });
  expect(piped.status).toBe(1);
  expect(piped.stderr).toContain('the input device is not a TTY');
  expect(kit(['rm', '-f', ditName], kr.env).status).toBe(0);
}, 90000);

test('attach to a non-tty -di container: its stdout and stderr on kit\'s, kit\'s stdin to its stdin, and its exit code', async () => {
  const script = 'read line; echo "out:$line"; echo "err:$line" >&2; read more; exit 3';
  expect(kit(['run', '-di', '--name', diName, 'base', 'sh', '-c', script], kr.env).status).toBe(0);
  const a = spawn(process.execPath, [BIN, 'attach', diName], { env: kr.env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  a.stdout.on('data', (c: Buffer) => (out += c.toString()));
  a.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => a.on('close', (code) => resolve(code)));
  a.stdin.write('hello\n');
  await eventually(() => out.includes('out:hello') && err.includes('err:hello'), 20000);
  a.stdin.end('bye\n');
  expect(await exited).toBe(3);
  expect(out).toBe('out:hello\n');
  expect(err).toBe('err:hello\n');
  expect(kit(['attach', diName], kr.env)).toMatchObject({ status: 1, stderr: expect.stringContaining('you cannot attach to a stopped container, start it first') });
  expect(kit(['rm', diName], kr.env).status).toBe(0);
}, 60000);

test('attach without a terminal passes the signals kit gets to the container (--sig-proxy); a foreground container has nothing to attach to', async () => {
  const script = 'trap "echo got-int; exit 9" INT; while :; do echo tick; sleep 0.2; done';
  expect(kit(['run', '-d', '--name', sigName, 'base', 'sh', '-c', script], kr.env).status).toBe(0);
  const a = spawn(process.execPath, [BIN, 'attach', '--no-stdin', sigName], { env: kr.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  a.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => a.on('close', (code) => resolve(code)));
  await eventually(() => out.includes('tick'), 20000); // attached
  a.kill('SIGINT');
  expect(await exited).toBe(9);
  expect(out).toContain('got-int');
  expect(kit(['rm', sigName], kr.env).status).toBe(0);

  const fg = spawn(process.execPath, [BIN, 'run', '--name', plainName, 'base', 'sleep', '30'], { env: kr.env, stdio: 'ignore' });
  await eventually(() => kit(['ps', '-q', '--filter', `name=${plainName}`], kr.env).stdout.trim() !== '', 20000);
  const r = kit(['attach', plainName], kr.env);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`cannot attach to container ${plainName}: no shim holds its stdio`);
  expect(kit(['rm', '-f', plainName], kr.env).status).toBe(0);
  await new Promise((r) => fg.on('close', r));
}, 60000);

test('kit start -a: attached from before the command runs (its first line is not missed), stdout and stderr apart, its exit code; -ai passes stdin; several at once is refused', () => {
  const script = 'echo "out-$((6*7))"; echo err-line >&2; exit 3';
  expect(kit(['run', '--name', saName, 'base', 'sh', '-c', script], kr.env).status).toBe(3);
  const again = kit(['start', '-a', saName], kr.env);
  expect(again).toMatchObject({ status: 3, stdout: 'out-42\n', stderr: 'err-line\n' });
  expect(kit(['logs', saName], kr.env).stdout).toBe('out-42\nout-42\n'); // as Docker's: the log holds both runs' stdout, the foreground run's and kit start's
  expect(kit(['start', '-a', saName, plainName], kr.env)).toMatchObject({ status: 1, stderr: expect.stringMatching(/^kit: you cannot start and attach multiple containers at once; /) });

  expect(kit(['run', '-i', '--name', saiName, 'base', 'sh', '-c', 'read line; echo "got:$line"'], kr.env).status).toBe(0);
  const piped = spawnSync(process.execPath, [BIN, 'start', '-ai', saiName], { env: kr.env, input: 'second\n', encoding: 'utf8', timeout: 30000 });
  expect(piped).toMatchObject({ status: 0, stdout: 'got:second\n' });
  expect(kit(['rm', saName, saiName], kr.env).status).toBe(0);
}, 60000);

test('kit start -a without a terminal passes the signals kit gets to the container once it runs', async () => {
  const script = 'trap "echo got-int; exit 9" INT; while :; do echo tick; sleep 0.2; done';
  expect(kit(['run', '-d', '--name', sigName, 'base', 'sh', '-c', script], kr.env).status).toBe(0);
  expect(kit(['stop', '-t', '0', sigName], kr.env).status).toBe(0);
  const a = spawn(process.execPath, [BIN, 'start', '-a', sigName], { env: kr.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  a.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => a.on('close', (code) => resolve(code)));
  await eventually(() => out.includes('tick'), 20000);
  a.kill('SIGINT');
  expect(await exited).toBe(9);
  expect(out).toContain('got-int');
  expect(kit(['rm', sigName], kr.env).status).toBe(0);
}, 60000);

test('kit start -ai of a -it container: its terminal again, and Ctrl-P Ctrl-Q leaves it running', async () => {
  const t = terminal(`${KIT} run -it --name ${sitName} base sh; echo "run-exit=$?"`, kr.env);
  await t.see('/ # ');
  t.type('exit 4\n');
  await t.see('run-exit=4');
  await t.done();
  const s = terminal(`${KIT} start -ai ${sitName}; echo "start-exit=$?"`, kr.env);
  await s.see('/ # ');
  s.type('echo again-$((5*5))\n');
  await s.see('again-25\n');
  s.type('\x10\x11');
  await s.see('read escape sequence\n');
  await s.see('start-exit=1');
  await s.done();
  expect(state(sitName).Running).toBe(true);
  expect(kit(['rm', '-f', sitName], kr.env).status).toBe(0);
}, 90000);

test('a bad --detach-keys is one line naming it', () => {
  const r = kit(['run', '--detach-keys', 'ctrl-1', 'base', 'true'], kr.env);
  expect(r.status).toBe(125);
  expect(r.stderr.trim()).toMatch(/^kit: bad --detach-keys 'ctrl-1': 'ctrl-1' is not a key; /);
});
