import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanKitRoot, eventually, kit } from '../support/kit';

/**
 * A foreground `kit run` logs its output as Docker's json-file driver does,
 * so `kit logs` after the run shows it, while kit's own stdout and stderr
 * still get it byte for byte as it comes (pipes kit copies, not its fds).
 */
const BIN = join(__dirname, '..', '..', 'bin', 'run.js');
const name = (what: string) => `fg${process.pid}-${what}`;
const made: string[] = [];
const kr = cleanKitRoot(() => {
  for (const c of made) kit(['rm', '-f', c], kr.env);
});
const named = (what: string) => {
  made.push(name(what));
  return name(what);
};

/** Every container.log (or rotated one) under the test's kit root. */
function logFiles(dir = kr.root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return logFiles(path);
    return e.name.startsWith('container.log') ? [path] : [];
  });
}

beforeAll(() => expect(kit(['image', 'ls'], kr.env).status).toBe(0)); // builds base once

test('kit logs after a foreground run: stdout and stderr apart, -t, --tail, --since/--until; the exit code is the command\'s', () => {
  const c = named('logs');
  const run = kit(['run', '--name', c, 'base', 'sh', '-c', 'echo one; echo err >&2; echo two; printf three; exit 3'], kr.env);
  expect(run).toMatchObject({ status: 3, stdout: 'one\ntwo\nthree', stderr: 'err\n' });
  expect(kit(['logs', c], kr.env)).toMatchObject({ status: 0, stdout: 'one\ntwo\nthree', stderr: 'err\n' });
  expect(kit(['logs', '--tail', '1', c], kr.env)).toMatchObject({ stdout: 'three', stderr: '' });
  expect(kit(['logs', '-t', c], kr.env).stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z one\n\S+Z two\n\S+Z three$/);
  expect(kit(['logs', '--since', '1m', c], kr.env).stdout).toBe('one\ntwo\nthree');
  expect(kit(['logs', '--until', '1h', c], kr.env)).toMatchObject({ status: 0, stdout: '', stderr: '' }); // written less than an hour ago
  const json = JSON.parse(kit(['logs', '--json', c], kr.env).stdout) as { entries: Array<{ stream: string; log: string }> };
  expect(json.entries.map((e) => [e.stream, e.log])).toEqual(
    expect.arrayContaining([['stdout', 'one\n'], ['stderr', 'err\n'], ['stdout', 'two\n'], ['stdout', 'three']]),
  );
});

test('piped stdin (-i) still reaches the container, and what it prints is logged', () => {
  const c = named('stdin');
  const r = spawnSync(process.execPath, [BIN, 'run', '-i', '--name', c, 'base', 'cat'], { env: kr.env, input: 'through stdin\n', encoding: 'utf8', timeout: 60000 });
  expect(r).toMatchObject({ status: 0, stdout: 'through stdin\n' });
  expect(kit(['logs', c], kr.env).stdout).toBe('through stdin\n');
});

test('binary output passes unchanged, through a pipe and into a file', () => {
  const inside = kit(['run', 'base', 'sha256sum', '/bin/busybox'], kr.env).stdout.split(' ')[0];
  expect(inside).toMatch(/^[0-9a-f]{64}$/);
  const piped = spawnSync(process.execPath, [BIN, 'run', 'base', 'cat', '/bin/busybox'], { env: kr.env, timeout: 60000, maxBuffer: 64 << 20 });
  expect(piped.status).toBe(0);
  expect(piped.stdout.length).toBeGreaterThan(100000);
  expect(createHash('sha256').update(piped.stdout).digest('hex')).toBe(inside);
  const file = join(kr.root, 'busybox.out');
  const shell = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" run base cat /bin/busybox > "${file}"`], { env: kr.env, timeout: 60000 });
  expect(shell.status).toBe(0);
  expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(inside);
});

test('output streams as it comes: a line printed before a sleep arrives before the sleep ends, on its own stream', async () => {
  const child = spawn(process.execPath, [BIN, 'run', '--rm', 'base', 'sh', '-c', 'echo first; echo early-err >&2; sleep 3; echo second'], { env: kr.env });
  const seen: Array<[string, string, number]> = [];
  child.stdout.on('data', (d: Buffer) => seen.push(['stdout', d.toString(), Date.now()]));
  child.stderr.on('data', (d: Buffer) => seen.push(['stderr', d.toString(), Date.now()]));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const ended = Date.now();
  expect(code).toBe(0);
  const at = (stream: string, text: string) => seen.find(([s, t]) => s === stream && t.includes(text))?.[2];
  expect(at('stdout', 'first')).toBeLessThan(ended - 2000);
  expect(at('stderr', 'early-err')).toBeLessThan(ended - 2000);
  expect(at('stdout', 'second')).toBeGreaterThan(at('stdout', 'first')! + 2000);
  expect(seen.filter(([s]) => s === 'stdout').map(([, t]) => t).join('')).toBe('first\nsecond\n');
});

test('--rm: the log exists while the container runs (kit logs) and goes with it', async () => {
  const c = named('rm');
  const before = logFiles();
  const child = spawn(process.execPath, [BIN, 'run', '--rm', '--name', c, 'base', 'sh', '-c', 'echo while-running; sleep 3'], { env: kr.env, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  await eventually(() => kit(['logs', c], kr.env).stdout === 'while-running\n', 20000);
  expect(await exited).toBe(0);
  expect(kit(['logs', c], kr.env).status).toBe(1); // no such container
  expect(kit(['run', 'base', 'echo', 'unnamed'], kr.env).stdout).toBe('unnamed\n'); // removed at its end too
  expect(logFiles()).toEqual(before);
});

test('-t: the terminal\'s one stream is logged as stdout, as Docker logs a tty container', () => {
  const c = named('tty');
  expect(kit(['run', '-t', '--name', c, 'base', 'sh', '-c', 'echo out; echo err >&2'], kr.env)).toMatchObject({ status: 0, stdout: 'out\r\nerr\r\n' });
  expect(kit(['logs', c], kr.env)).toMatchObject({ status: 0, stdout: 'out\r\nerr\r\n', stderr: '' });
});

test('--log-driver none: nothing is logged, and kit logs says so as Docker does', () => {
  const c = named('none');
  const before = logFiles();
  expect(kit(['run', '--name', c, '--log-driver', 'none', 'base', 'echo', 'unlogged'], kr.env)).toMatchObject({ status: 0, stdout: 'unlogged\n' });
  const logs = kit(['logs', c], kr.env);
  expect(logs.status).toBe(1);
  expect(logs.stderr).toMatch(/--log-driver none \(configured logging driver does not support reading\)/);
  const detached = named('none-d'); // the shim of a -d container honours it too
  expect(kit(['run', '-d', '--name', detached, '--log-driver', 'none', 'base', 'echo', 'unlogged'], kr.env).status).toBe(0);
  expect(kit(['wait', detached], kr.env).stdout).toBe('0\n');
  expect(kit(['logs', detached], kr.env).status).toBe(1);
  expect(logFiles()).toEqual(before);
  expect(kit(['run', '--log-driver', 'syslog', 'base', 'true'], kr.env).status).toBe(125);
});

test('--trace: the command\'s output comes after its execve line and before the wait for it, as when it wrote to kit\'s terminal itself', () => {
  for (let i = 0; i < 3; i++) {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" run --trace --network none base sh -c 'echo from-the-command' 2>&1`], { env: kr.env, encoding: 'utf8', timeout: 60000 });
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    const execve = lines.findIndex((l) => l.startsWith('[ctr ] execve('));
    const output = lines.indexOf('from-the-command');
    const wait = lines.findIndex((l) => l.startsWith('[host] waitid('));
    expect(execve).toBeGreaterThan(0);
    expect(output).toBeGreaterThan(execve);
    expect(wait).toBeGreaterThan(output);
  }
});

test('--json and --record capture the output, and log it all the same: kit logs shows those runs too (-t as stdout), --log-driver none still logs nothing', () => {
  const json = named('json');
  const r = kit(['run', '--json', '--name', json, 'base', 'sh', '-c', 'echo out; echo err >&2; printf last'], kr.env);
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ stdout: 'out\nlast', stderr: 'err\n' });
  expect(kit(['logs', json], kr.env)).toMatchObject({ status: 0, stdout: 'out\nlast', stderr: 'err\n' });
  const recorded = named('record');
  const file = join(kr.root, 'run.kitrec');
  const rec = kit(['run', '--record', file, '--name', recorded, 'base', 'sh', '-c', 'echo recorded; echo oops >&2; exit 4'], kr.env);
  expect(rec).toMatchObject({ status: 4, stdout: 'recorded\n', stderr: 'oops\n' });
  expect(kit(['logs', recorded], kr.env)).toMatchObject({ status: 0, stdout: 'recorded\n', stderr: 'oops\n' });
  const tty = named('json-tty');
  expect(kit(['run', '--json', '-t', '--name', tty, 'base', 'sh', '-c', 'echo on the terminal >&2'], kr.env).status).toBe(0);
  expect(kit(['logs', tty], kr.env)).toMatchObject({ status: 0, stdout: 'on the terminal\r\n', stderr: '' });
  const before = logFiles();
  const none = named('json-none');
  expect(kit(['run', '--json', '--log-driver', 'none', '--name', none, 'base', 'echo', 'unlogged'], kr.env).status).toBe(0);
  expect(kit(['logs', none], kr.env).status).toBe(1);
  expect(logFiles()).toEqual(before);
});
