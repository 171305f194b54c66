import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { alive, cleanKitRoot, eventually, kit } from '../support/kit';
import { terminal } from '../support/terminal';

/**
 * kit exec -d and the detach keys of kit exec -it, as Docker's: the process
 * runs on in the container after kit returns, held by a shim of its own,
 * and when it ends (or the container is removed) nothing of it is left on
 * the host, not even a zombie.
 */
const BIN = join(__dirname, '..', '..', 'bin', 'run.js');
const KIT = `"${process.execPath}" "${BIN}"`;
const names = ['d', 'rm', 'it'].map((n) => `exd${n}${process.pid}`);
const [dName, rmName, itName] = names;
const kr = cleanKitRoot(() => kit(['rm', '-f', ...names], kr.env));

beforeAll(() => expect(kit(['image', 'ls'], kr.env).status).toBe(0)); // builds base once

const execIds = (name: string) => (JSON.parse(kit(['inspect', name], kr.env).stdout) as Array<{ ExecIDs: string[] | null }>)[0].ExecIDs;
/** The host pids of the container's processes running `command` (kit top: host ps of its cgroup). */
const pidsOf = (name: string, command: string) =>
  kit(['top', name], kr.env)
    .stdout.split('\n')
    .filter((l) => l.endsWith(` ${command}`))
    .map((l) => Number(l.trim().split(/\s+/)[1]));
/** The shim of an exec, by its title (`kit shim <exec id>`). */
const shimOf = (id: string) => Number(spawnSync('pgrep', ['-fx', `kit shim ${id}`], { encoding: 'utf8' }).stdout.trim().split('\n')[0]) || undefined;

test('kit exec -d returns at once, exit 0, nothing printed; the process runs on (top, ps inside, ExecIDs), and once it ends it is reaped: no zombie, no shim', async () => {
  expect(kit(['run', '-d', '--name', dName, 'base', 'sleep', '300'], kr.env).status).toBe(0);
  const started = kit(['exec', '-d', dName, 'sh', '-c', 'sleep 3; echo done > /tmp/mark; sleep 1'], kr.env);
  expect(started).toEqual({ status: 0, stdout: '', stderr: '' });
  // it runs after kit returned: seen by kit top, by ps inside, and in inspect's ExecIDs
  expect(pidsOf(dName, 'sleep 3')).toHaveLength(1);
  expect(kit(['exec', dName, 'ps', '-o', 'args'], kr.env).stdout).toContain('sleep 3');
  const ids = execIds(dName);
  expect(ids).toHaveLength(1);
  const shim = shimOf(ids![0]);
  expect(shim).toBeDefined();
  const [sh] = pidsOf(dName, "sh -c sleep 3; echo done > /tmp/mark; sleep 1");
  // ...to its end: it wrote its mark, then it, its shim and its kit-init are gone from the host, not zombies
  await eventually(() => kit(['exec', dName, 'cat', '/tmp/mark'], kr.env).stdout === 'done\n');
  await eventually(() => !alive(sh) && !alive(shim!));
  expect(execIds(dName)).toBeNull();
  expect(kit(['top', dName], kr.env).stdout).not.toMatch(/kit-init|sleep [13]$/m);
  // the container is untouched
  expect(kit(['ps', '-q', '--filter', `name=${dName}`], kr.env).stdout.trim()).not.toBe('');

  // a command that cannot start is the error a foreground exec gives, with its code
  const missing = kit(['exec', '-d', dName, 'no-such-command'], kr.env);
  expect(missing.status).toBe(127);
  expect(missing.stderr).toMatch(/^kit: execve\("no-such-command".*ENOENT/);
  expect(execIds(dName)).toBeNull();
  expect(kit(['exec', '-d', '--detach-keys', 'ctrl-', dName, 'true'], kr.env)).toMatchObject({ status: 1, stderr: expect.stringMatching(/^kit: bad --detach-keys 'ctrl-'/) });
  expect(kit(['rm', '-f', dName], kr.env).status).toBe(0);
}, 90000);

test('kit rm -f of a container with a kit exec -d running ends the process and its shim; nothing is left', async () => {
  expect(kit(['run', '-d', '--name', rmName, 'base', 'sleep', '300'], kr.env).status).toBe(0);
  const marker = `sleep ${60000 + (process.pid % 10000)}`;
  expect(kit(['exec', '-d', rmName, ...marker.split(' ')], kr.env).status).toBe(0);
  const [pid] = pidsOf(rmName, marker);
  const shim = shimOf(execIds(rmName)![0]);
  expect(alive(pid) && shim !== undefined).toBe(true);
  expect(kit(['rm', '-f', rmName], kr.env).status).toBe(0);
  await eventually(() => !alive(pid) && !alive(shim!));
  expect(spawnSync('pgrep', ['-fx', marker]).stdout.toString()).toBe('');
}, 90000);

test('a kill -9 of an exec\'s shim takes its process along (PDEATHSIG): nothing runs on unowned, ExecIDs forgets it', async () => {
  const name = `exdk${process.pid}`;
  expect(kit(['run', '-d', '--name', name, 'base', 'sleep', '300'], kr.env).status).toBe(0);
  try {
    expect(kit(['exec', '-d', name, 'sleep', '4321'], kr.env).status).toBe(0);
    const [pid] = pidsOf(name, 'sleep 4321');
    const shim = shimOf(execIds(name)![0])!;
    process.kill(shim, 'SIGKILL');
    await eventually(() => !alive(pid) && !alive(shim));
    expect(execIds(name)).toBeNull();
    expect(kit(['top', name], kr.env).stdout).toMatch(/sleep 300\n$/);
  } finally {
    expect(kit(['rm', '-f', name], kr.env).status).toBe(0);
  }
}, 90000);

test('kit exec -it: Ctrl-P Ctrl-Q detach ("read escape sequence", exit 1) and the shell runs on; --detach-keys; a plain exit is kit\'s exit code', async () => {
  expect(kit(['run', '-d', '--name', itName, 'base', 'sleep', '300'], kr.env).status).toBe(0);
  const t = terminal(`${KIT} exec -it ${itName} sh; echo "kit-exit=$?"`, kr.env);
  await t.see('/ # ');
  t.type('echo first-$((6*7)) $(tty)\n');
  await t.see('first-42 /dev/pts/');
  t.type('\x10\x11'); // Ctrl-P Ctrl-Q
  await t.see('read escape sequence\n');
  await t.see('kit-exit=1');
  await t.done();
  // the shell runs on in the container, held by its shim
  expect(pidsOf(itName, 'sh')).toHaveLength(1);
  expect(execIds(itName)).toHaveLength(1);

  const k = terminal(`${KIT} exec -it --detach-keys ctrl-x,x ${itName} sh; echo "kit-exit=$?"`, kr.env);
  await k.see('/ # ');
  let mark = k.screen().length;
  k.type('\x10\x11\x15echo p-q-passed\n'); // not this session's keys: they reach the shell
  await k.see('p-q-passed\n', mark);
  mark = k.screen().length;
  k.type('\x18x');
  await k.see('read escape sequence\n', mark);
  await k.see('kit-exit=1', mark);
  await k.done();
  expect(pidsOf(itName, 'sh')).toHaveLength(2);

  const e = terminal(`${KIT} exec -it ${itName} sh; echo "kit-exit=$?"`, kr.env);
  await e.see('/ # ');
  e.type('exit 5\n');
  await e.see('kit-exit=5');
  await e.done();
  await eventually(() => execIds(itName)?.length === 2);
  // removing the container ends the detached shells and their shims
  const shims = execIds(itName)!.map(shimOf);
  const shells = pidsOf(itName, 'sh');
  expect(kit(['rm', '-f', itName], kr.env).status).toBe(0);
  await eventually(() => [...shims, ...shells].every((pid) => pid === undefined || !alive(pid)));
  expect(shims.every((pid) => pid !== undefined)).toBe(true);
}, 120000);
