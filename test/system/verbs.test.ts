import { readFileSync } from 'node:fs';
import { cleanKitRoot, eventually, kit, kitJson } from '../support/kit';

/** The verbs Docker users type: kill -s, pause/unpause, top, port, start, restart, --restart, aliases, suggestions. */
interface PsRow {
  id: string;
  name: string;
  state: string;
  pid: number | null;
  exitCode: number | null;
  restartCount: number;
}

const prefix = `vb${process.pid}`;
const kr = cleanKitRoot(() => {
  for (const c of kitJson<PsRow[]>(['ps', '-a'], kr.env)) kit(['rm', '-f', c.id], kr.env);
});
const row = (name: string) => kitJson<PsRow[]>(['ps', '-a'], kr.env).find((r) => r.name === name);
const stateOf = (pid: number) => {
  try {
    return /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  } catch {
    return undefined; // gone
  }
};

beforeAll(() => expect(kit(['image', 'ls'], kr.env).status).toBe(0)); // builds base once

test('kill -s delivers the signal to PID 1: a trap inside sees SIGHUP, and a bad signal is one line', async () => {
  const c = `${prefix}-hup`;
  expect(kit(['run', '-d', '--name', c, 'base', 'sh', '-c', 'trap "echo got HUP; exit 5" HUP; while :; do sleep 0.1; done'], kr.env).status).toBe(0);
  const bad = kit(['kill', '-s', 'NOPE', c], kr.env);
  expect(bad.status).toBe(1);
  expect(bad.stderr.trim()).toBe("kit: bad signal 'NOPE'; give a name (KILL, TERM, HUP, USR1...) or a number from 1 to 64");
  expect(kit(['kill', '-s', 'HUP', c], kr.env)).toMatchObject({ status: 0, stdout: `${c}\n` });
  expect(kit(['wait', c], kr.env).stdout).toBe('5\n');
  expect(kit(['logs', c], kr.env).stdout).toBe('got HUP\n');
  expect(kit(['rm', c], kr.env).status).toBe(0);
});

test('pause freezes every process (state D or T on the host), ps says Paused; unpause thaws them', async () => {
  const c = `${prefix}-frz`;
  expect(kit(['run', '-d', '--name', c, 'base', 'sh', '-c', 'sleep 300 & sleep 301; true'], kr.env).status).toBe(0);
  const pids = kitJson<{ pids: number[] }>(['top', c], kr.env).pids;
  expect(pids.length).toBeGreaterThanOrEqual(2);
  expect(kit(['top', c], kr.env).stdout).toMatch(/^USER\s+PID\s+PPID.*\n(.*\n)*.*sleep 300/);
  expect(kit(['pause', c], kr.env).status).toBe(0);
  await eventually(() => pids.every((p) => ['D', 'T'].includes(stateOf(p) ?? '')));
  expect(row(c)!.state).toBe('paused');
  expect(kit(['ps', '--filter', `name=${c}`, '--format', '{{.Status}}'], kr.env).stdout).toMatch(/^Up \d+ seconds? \(Paused\)\n$/);
  expect(kit(['unpause', c], kr.env).status).toBe(0);
  await eventually(() => pids.every((p) => !['D', 'T'].includes(stateOf(p) ?? '')));
  expect(row(c)!.state).toBe('running');
  expect(kit(['pause', c], kr.env).status).toBe(0);
  expect(kit(['rm', '-f', c], kr.env).status).toBe(0); // a frozen container is thawed to take the SIGKILL
  expect(pids.some((p) => stateOf(p) !== undefined)).toBe(false);
});

test('--restart on-failure:2 restarts a failing container twice, then leaves it exited; bad values are one line, exit 125', async () => {
  const c = `${prefix}-rst`;
  expect(kit(['run', '-d', '--name', c, '--restart', 'on-failure:2', 'base', 'sh', '-c', 'echo run; exit 3'], kr.env).status).toBe(0);
  await eventually(() => row(c)?.restartCount === 2 && row(c)?.state === 'exited', 20000);
  await new Promise((r) => setTimeout(r, 1500)); // no third restart comes
  expect(row(c)).toMatchObject({ state: 'exited', exitCode: 3, restartCount: 2 });
  expect(kit(['logs', c], kr.env).stdout).toBe('run\nrun\nrun\n');
  for (const args of [['--restart', 'sometimes', '-d'], ['--restart', 'always:3', '-d'], ['--restart', 'always', '--rm', '-d'], ['--restart', 'always']]) {
    const r = kit(['run', ...args, 'base', 'true'], kr.env);
    expect(r.status).toBe(125);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  }
  expect(kit(['rm', c], kr.env).status).toBe(0);
});

test('--restart always is not undone by kit stop: the stopped container stays exited', async () => {
  const c = `${prefix}-alw`;
  expect(kit(['run', '-d', '--name', c, '--restart', 'always', 'base', 'sleep', '300'], kr.env).status).toBe(0);
  expect(kit(['stop', '-t', '0', c], kr.env).status).toBe(0);
  await new Promise((r) => setTimeout(r, 1500));
  expect(row(c)).toMatchObject({ state: 'exited', restartCount: 0 });
  expect(kit(['rm', c], kr.env).status).toBe(0);
});

test('start runs an exited container again with its layer and log; restart stops and starts it', async () => {
  const c = `${prefix}-st`;
  expect(kit(['run', '-d', '--name', c, 'base', 'sh', '-c', 'echo run >> /count; wc -l < /count; sleep 300'], kr.env).status).toBe(0);
  await eventually(() => kit(['logs', c], kr.env).stdout === '1\n');
  expect(kit(['stop', '-t', '0', c], kr.env).status).toBe(0);
  expect(row(c)!.state).toBe('exited');
  expect(kit(['start', c], kr.env)).toMatchObject({ status: 0, stdout: `${c}\n` });
  await eventually(() => kit(['logs', c], kr.env).stdout === '1\n2\n'); // its layer kept /count
  const before = row(c)!.pid;
  expect(kit(['restart', '-t', '0', c], kr.env).status).toBe(0);
  await eventually(() => kit(['logs', c], kr.env).stdout === '1\n2\n3\n');
  expect(row(c)!.pid).not.toBe(before);
  expect(kit(['start', 'no-such-container'], kr.env).status).toBe(1); // docker start: 1 for every failure
  expect(kit(['rm', '-f', c], kr.env).status).toBe(0);
});

test('port lists the published ports of a container', async () => {
  const c = `${prefix}-prt`;
  const port = 20000 + (process.pid % 20000);
  expect(kit(['run', '-d', '--name', c, '-p', `${port}:80`, 'base', 'sleep', '300'], kr.env).status).toBe(0);
  expect(kit(['port', c], kr.env).stdout).toBe(`80/tcp -> 0.0.0.0:${port}\n`);
  expect(kit(['port', c, '80'], kr.env).stdout).toBe(`0.0.0.0:${port}\n`);
  expect(kit(['port', c, '81'], kr.env).stdout).toBe('');
  expect(kit(['rm', '-f', c], kr.env).status).toBe(0);
});

test('images and rmi are aliases; pull explains itself in one line; an unknown command suggests the nearest; a missing flag is named', () => {
  expect(kit(['images'], kr.env).stdout).toMatch(/^NAME\s+LAYERS[\s\S]*\nbase\s/);
  const pull = kit(['pull', 'alpine:3.19'], kr.env);
  expect(pull.status).toBe(1);
  expect(pull.stderr.trim()).toBe('kit: kit has no registry access, so it cannot pull alpine:3.19; on a machine with Docker: docker save alpine:3.19 | sudo kit image import - --name alpine (or docker save -o alpine.tar alpine:3.19, then kit image import alpine.tar)');
  for (const [typed, nearest] of [['sotp', 'stop'], ['imgaes', 'images'], ['rmii', 'rmi'], ['inspcet', 'inspect']]) {
    const r = kit([typed, 'x'], kr.env);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(`kit: '${typed}' is not a kit command (kit ${typed} x); did you mean \`kit ${nearest}\`?`);
  }
  const missing = kit(['build', '.'], { ...kr.env, NODE_ENV: 'production' });
  expect(missing.stderr.trim()).toBe('kit: missing required flag --tag; see `kit build --help`');
  expect(kit(['rmi', 'no-such-image'], kr.env).status).not.toBe(0);
});
