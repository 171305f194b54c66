import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cleanKitRoot, eventually, kit, kitJson } from '../support/kit';

/**
 * Docker's lifecycle: a container is kept after it exits, with its exit
 * code, logs and layer, until `kit rm`; --rm removes it at the end.
 */
interface PsRow {
  id: string;
  name: string;
  state: string;
  exitCode: number | null;
  oomKilled: boolean;
}

const kr = cleanKitRoot(() => {
  for (const c of kitJson<PsRow[]>(['ps', '-a'], kr.env)) kit(['rm', '-f', c.id], kr.env);
  expect(kept()).toEqual([]);
});
const name = (what: string) => `ex${process.pid}-${what}`;
const kept = () => (existsSync(join(kr.root, 'data', 'containers')) ? readdirSync(join(kr.root, 'data', 'containers')) : []);

beforeAll(() => expect(kit(['image', 'ls'], kr.env).status).toBe(0)); // builds base once

test('a detached container that exits keeps its exit code and logs for ps -a, logs, inspect and wait; rm removes it all', async () => {
  const c = name('exits');
  const started = kit(['run', '-d', '--name', c, 'base', 'sh', '-c', 'echo out; echo err >&2; sleep 1; exit 3'], kr.env);
  expect(started.status).toBe(0);
  const id = started.stdout.trim();
  expect(kit(['wait', c], kr.env)).toMatchObject({ status: 0, stdout: '3\n' });
  const row = kitJson<PsRow[]>(['ps', '-a'], kr.env).find((r) => r.id === id);
  expect(row).toMatchObject({ name: c, state: 'exited', exitCode: 3, oomKilled: false });
  expect(kitJson<PsRow[]>(['ps'], kr.env).map((r) => r.id)).not.toContain(id); // without -a: running ones only
  const text = kit(['ps', '-a', '--filter', `name=${c}`], kr.env).stdout.split('\n');
  expect(text[1]).toMatch(new RegExp(`^${id}\\s+base\\s+"sh -c echo out; ech…"\\s+\\d+ seconds? ago\\s+Exited \\(3\\) \\d+ seconds? ago\\s+-\\s+${c}$`));
  expect(kit(['logs', c], kr.env)).toMatchObject({ status: 0, stdout: 'out\n', stderr: 'err\n' });
  expect(kit(['logs', '-t', c], kr.env).stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z out\n$/);
  expect(kit(['logs', '-f', c], kr.env).stdout).toBe('out\n'); // exited: -f returns at once
  expect(kit(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}} {{.State.OOMKilled}} {{.State.Pid}}', c], kr.env).stdout).toBe('exited 3 false 0\n');
  const [inspected] = JSON.parse(kit(['inspect', id.slice(0, 6)], kr.env).stdout) as Array<{ Id: string; GraphDriver: { Name: string } }>;
  expect(inspected.Id).toBe(id);
  expect(['overlay2', 'vfs', 'aufs']).toContain(inspected.GraphDriver.Name);
  // the name stays taken until rm, as Docker's does
  expect(kit(['run', '-d', '--name', c, 'base', 'true'], kr.env).status).toBe(125);
  expect(kit(['rm', c], kr.env)).toMatchObject({ status: 0, stdout: `${c}\n` });
  expect(kitJson<PsRow[]>(['ps', '-a'], kr.env).map((r) => r.id)).not.toContain(id);
  expect(kept()).not.toContain(id);
  expect(kit(['logs', c], kr.env).status).toBe(1);
});

test('ps -q, --filter status= and exited=, --format, and a bad filter or field is one line', async () => {
  const ok = name('ok');
  const bad = name('bad');
  const up = name('up');
  expect(kit(['run', '-d', '--name', ok, 'base', 'true'], kr.env).status).toBe(0);
  expect(kit(['run', '-d', '--name', bad, 'base', 'sh', '-c', 'exit 2'], kr.env).status).toBe(0);
  const running = kit(['run', '-d', '--name', up, 'base', 'sleep', '30'], kr.env).stdout.trim();
  await eventually(() => kit(['ps', '-a', '--filter', 'status=exited', '--format', '{{.Names}}'], kr.env).stdout.split('\n').filter(Boolean).length === 2, 20000);
  expect(kit(['ps', '-q'], kr.env).stdout).toBe(`${running}\n`);
  expect(kit(['ps', '--filter', 'exited=2', '--format', '{{.Names}} {{.ExitCode}}'], kr.env).stdout).toBe(`${bad} 2\n`);
  expect(kit(['ps', '--filter', 'status=running', '--format', '{{.ID}}\\t{{.State}}'], kr.env).stdout).toBe(`${running}\trunning\n`);
  for (const args of [['--filter', 'status=sleeping'], ['--filter', 'colour=red'], ['--format', '{{.Nope}}']]) {
    const r = kit(['ps', ...args], kr.env);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  }
  // several names at once, as docker rm a b c
  expect(kit(['rm', '-f', ok, bad, up], kr.env)).toMatchObject({ status: 0, stdout: `${ok}\n${bad}\n${up}\n` });
  const missing = kit(['rm', 'no-such-a', 'no-such-b'], kr.env);
  expect(missing.status).toBe(1);
  expect(missing.stderr).toMatch(/no-such-a: no such container[\s\S]*no-such-b: no such container/);
  // -f of what is already gone succeeds quietly (Docker 20.10 on), so cleanup scripts can repeat it
  expect(kit(['rm', '-f', ok, 'no-such-a'], kr.env)).toMatchObject({ status: 0, stdout: '', stderr: '' });
});

test('--rm removes a detached container when it exits; a foreground run without --name is removed too', async () => {
  const c = name('rm');
  const id = kit(['run', '-d', '--rm', '--name', c, 'base', 'sh', '-c', 'sleep 0.5'], kr.env).stdout.trim();
  await eventually(() => !kitJson<PsRow[]>(['ps', '-a'], kr.env).some((r) => r.id === id), 20000);
  expect(kept()).not.toContain(id);
  expect(kit(['run', '--rm', 'base', 'true'], kr.env).status).toBe(0);
  expect(kit(['run', 'base', 'true'], kr.env).status).toBe(0);
  expect(kitJson<PsRow[]>(['ps', '-a'], kr.env)).toEqual([]);
});

test("exit codes are Docker's: the command's, 125 kit's own error, 126 not executable, 127 not found, 128+N a signal", () => {
  expect(kit(['run', 'base', 'sh', '-c', 'exit 7'], kr.env).status).toBe(7);
  expect(kit(['run', '--memory', '12q', 'base', 'true'], kr.env).status).toBe(125);
  expect(kit(['run', 'no-such-image', 'true'], kr.env).status).toBe(125);
  expect(kit(['run', '--bogus', 'base', 'true'], kr.env).status).toBe(125);
  expect(kit(['run', 'base', '/etc'], kr.env).status).toBe(126);
  expect(kit(['run', 'base', 'no-such-command'], kr.env).status).toBe(127);
  // PID 1 ignores signals it has no handler for: a child killed by SIGTERM, reported by the shell as 128+15
  expect(kit(['run', 'base', 'sh', '-c', 'sh -c "kill -TERM \\$\\$"; exit $?'], kr.env).status).toBe(143);
  expect(kit(['run', '--name', name('sig'), 'base', 'sh', '-c', 'exec sleep 30 & sleep 0.2; exit 0'], kr.env).status).toBe(0);
  expect(kit(['rm', name('sig')], kr.env).status).toBe(0);
});

test('a container killed by a signal shows 128+N in ps -a and wait (docker kill)', async () => {
  const c = name('killed');
  const id = kit(['run', '-d', '--name', c, 'base', 'sleep', '30'], kr.env).stdout.trim();
  const pid = kitJson<Array<{ id: string; pid: number }>>(['ps'], kr.env).find((r) => r.id === id)!.pid;
  process.kill(pid, 'SIGKILL'); // from the host: PID 1 cannot ignore it
  expect(kit(['wait', c], kr.env).stdout).toBe('137\n');
  expect(kit(['ps', '-a', '--filter', `name=${c}`, '--format', '{{.Status}}'], kr.env).stdout).toMatch(/^Exited \(137\) \d+ seconds? ago\n$/);
  expect(kit(['rm', c], kr.env).status).toBe(0);
});

test('logs are size-capped: past --log-opt max-size the log is rotated, one previous file kept', async () => {
  const c = name('chatty');
  // 4000 lines of ~60 bytes of JSON each: about 240 KB through a 64 KB cap
  const r = kit(['run', '-d', '--name', c, '--log-opt', 'max-size=64k', 'base', 'sh', '-c', 'i=0; while [ $i -lt 4000 ]; do echo line $i; i=$((i+1)); done'], kr.env);
  expect(r.status).toBe(0);
  expect(kit(['wait', c], kr.env).stdout).toBe('0\n');
  const id = r.stdout.trim();
  const files = readdirSync(join(kr.root, 'data', 'containers', id)).filter((f) => f.startsWith('container.log'));
  expect(files.sort()).toEqual(['container.log', 'container.log.1']);
  const logs = kit(['logs', c], kr.env).stdout.split('\n').filter(Boolean);
  expect(logs.length).toBeLessThan(4000);
  expect(logs[logs.length - 1]).toBe('line 3999');
  expect(kit(['logs', '--tail', '2', c], kr.env).stdout).toBe('line 3998\nline 3999\n');
  expect(kit(['run', '--log-opt', 'max-size=lots', 'base', 'true'], kr.env).status).toBe(125);
  expect(kit(['rm', c], kr.env).status).toBe(0);
});

test('container prune removes the exited containers and leaves the running ones', async () => {
  const done = name('pruned');
  const up = name('kept-up');
  expect(kit(['run', '-d', '--name', done, 'base', 'true'], kr.env).status).toBe(0);
  const running = kit(['run', '-d', '--name', up, 'base', 'sleep', '300'], kr.env).stdout.trim();
  expect(kit(['wait', done], kr.env).stdout).toBe('0\n');
  const r = kit(['container', 'prune', '-f'], kr.env);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/removed 1 stopped container\(s\)\n$/);
  expect(kitJson<PsRow[]>(['ps', '-a'], kr.env).map((c) => c.id)).toEqual([running]);
  expect(kit(['rm', '-f', up], kr.env).status).toBe(0);
});
