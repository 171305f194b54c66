import { cleanKitRoot, kit, kitJson } from '../support/kit';

/**
 * A command that cannot be run, as Docker handles it (checked against
 * dockerd 20.10 with runc): `docker run` exits 127 or 126 and the container
 * is kept "Created", its State.ExitCode 127/126 and State.Error the reason;
 * `docker start` and `docker restart` exit 1 whatever the reason, and a
 * container that ran before shows "Exited (127)" with the new reason.
 */
interface PsRow {
  id: string;
  name: string;
  state: string;
  exitCode: number | null;
}

const kr = cleanKitRoot(() => {
  for (const c of kitJson<PsRow[]>(['ps', '-a'], kr.env)) kit(['rm', '-f', c.id], kr.env);
});
const name = (what: string) => `sf${process.pid}-${what}`;
const state = (c: string) => JSON.parse(kit(['inspect', '-f', '{{json .State}}', c], kr.env).stdout) as { Status: string; ExitCode: number; Error: string; StartedAt: string | null };
const statusColumn = (c: string) => kit(['ps', '-a', '--filter', `name=${c}`, '--format', '{{.Status}}'], kr.env).stdout;

beforeAll(() => expect(kit(['image', 'ls'], kr.env).status).toBe(0)); // builds base once

test('kit run --name / -d with a command not found or not executable: 127 / 126, and the container is kept Created with that ExitCode and the reason in State.Error', () => {
  const missing = name('missing');
  const r = kit(['run', '--network', 'none', '--name', missing, 'base', 'no-such-command'], kr.env);
  expect(r.status).toBe(127);
  expect(r.stderr).toMatch(/execve\("no-such-command".*ENOENT/);
  expect(statusColumn(missing)).toBe('Created\n');
  expect(state(missing)).toMatchObject({ Status: 'created', ExitCode: 127, Error: expect.stringMatching(/^execve\("no-such-command".* failed: ENOENT \(No such file or directory\)$/), StartedAt: null });
  const dir = name('dir');
  const d = kit(['run', '-d', '--network', 'none', '--name', dir, 'base', '/etc'], kr.env);
  expect(d.status).toBe(126);
  expect(state(dir)).toMatchObject({ Status: 'created', ExitCode: 126, Error: expect.stringMatching(/^execve\("\/etc".* failed: EACCES/) });
  // kit start tries again: exit 1 as docker start, the same reason; still Created
  const s = kit(['start', missing], kr.env);
  expect(s.status).toBe(1);
  expect(s.stderr).toMatch(/^kit: container \w+ did not start: execve\("no-such-command"/);
  expect(kit(['start', '-a', missing], kr.env)).toMatchObject({ status: 1, stderr: expect.stringMatching(/^kit: execve\("no-such-command".*ENOENT/) });
  expect(kit(['restart', missing], kr.env).status).toBe(1);
  expect(statusColumn(missing)).toBe('Created\n');
  // --restart always does not retry a command that cannot run: it stays Created, as Docker's does
  const always = name('always');
  expect(kit(['run', '-d', '--restart', 'always', '--network', 'none', '--name', always, 'base', 'no-such-command'], kr.env).status).toBe(127);
  expect(statusColumn(always)).toBe('Created\n');
  expect(kit(['inspect', '-f', '{{.RestartCount}}', always], kr.env).stdout).toBe('0\n');
  // a plain foreground run is removed as ever: nothing could name it
  const before = kitJson<PsRow[]>(['ps', '-a'], kr.env).length;
  expect(kit(['run', '--network', 'none', 'base', 'no-such-command'], kr.env).status).toBe(127);
  expect(kitJson<PsRow[]>(['ps', '-a'], kr.env)).toHaveLength(before);
});

test('a kept container whose command has gone: kit start exits 1, ps -a says Exited (127), inspect the reason; a start that works clears it', () => {
  const c = name('gone');
  expect(kit(['run', '--network', 'none', '--name', c, 'base', 'sh', '-c', 'test -e /moved || mv /bin/sh /moved'], kr.env).status).toBe(0);
  expect(statusColumn(c)).toMatch(/^Exited \(0\) /);
  const s = kit(['start', c], kr.env);
  expect(s.status).toBe(1);
  expect(s.stderr).toMatch(/execve\("\/bin\/sh".*ENOENT/);
  expect(statusColumn(c)).toMatch(/^Exited \(127\) /);
  expect(state(c)).toMatchObject({ Status: 'exited', ExitCode: 127, Error: expect.stringMatching(/^execve\("\/bin\/sh"/), StartedAt: expect.any(String) });
  expect(kit(['wait', c], kr.env).stdout).toBe('127\n');
  // put a shell back (kit cp into the stopped container's layer): the next start works, the reason goes
  expect(kit(['cp', '/bin/busybox', `${c}:/bin/sh`], kr.env).status).toBe(0);
  expect(kit(['start', '-a', c], kr.env).status).toBe(0);
  expect(state(c)).toMatchObject({ Status: 'exited', ExitCode: 0, Error: '' });
});

test('usage mistakes exit as Docker\'s CLI: 125 for a flag, 1 for a missing argument, 1 for start of no such container', () => {
  expect(kit(['ps', '--bogus'], kr.env).status).toBe(125);
  expect(kit(['logs', '--tail'], kr.env).status).toBe(125);
  expect(kit(['stop', '-t', 'x', 'web'], kr.env).status).toBe(125);
  expect(kit(['run'], kr.env).status).toBe(1);
  expect(kit(['start'], kr.env).status).toBe(1);
  expect(kit(['start', 'no-such-container'], kr.env)).toMatchObject({ status: 1, stderr: 'kit: no such container: no-such-container; `kit ps -a` lists the containers\n' });
  expect(kit(['restart', 'no-such-container'], kr.env).status).toBe(1);
  expect(kit(['chapter', 'pid', '--bogus'], kr.env).status).toBe(2); // kit's own commands: 2
});
