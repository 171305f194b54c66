import { chmodSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cleanKitRoot, eventually, hostSnapshot, kit } from '../support/kit';
import { cgroupDirsOf } from '../support/cgroups';
import { kitUserReleased, kitUserState } from '../support/userns';

/**
 * A container that cannot start says why in one line with the fix, exits
 * non-zero, and leaves nothing: the same first error whether it runs in the
 * foreground, kept (--name) or detached (-d, through its shim), never what
 * the cleanup after it ran into (an EBUSY from removing a still-mounted root).
 */
const kr = cleanKitRoot();
let kitUserBefore: ReturnType<typeof kitUserState>;
beforeAll(async () => {
  await kitUserReleased(); // other test files' user-namespace containers hold the `kit` user too
  kitUserBefore = kitUserState();
});
afterAll(async () => {
  await kitUserReleased();
  expect(kitUserState()).toEqual(kitUserBefore);
});

/** The ids kit gave the containers a failed run made: in its message (-d), or in the root's path it names. */
function idsIn(text: string): string[] {
  return [...new Set([...text.matchAll(/(?:container |containers\/)([0-9a-f]{12})\b/g)].map((m) => m[1]))];
}

/** Processes whose command line names one of these ids (a shim is `kit shim <id>`). */
function processesOf(ids: string[]): string[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid)
    .flatMap((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
        return ids.some((id) => cmdline.includes(id)) ? [`${pid}: ${cmdline}`] : [];
      } catch {
        return []; // gone meanwhile
      }
    });
}

/** Nothing of these containers is left: no mount, no state or layer dir, no record, no cgroup, no shim. */
async function expectNothingLeft(ids: string[]): Promise<void> {
  const snapshot = hostSnapshot(kr.root);
  expect(snapshot.mounts).toEqual([]);
  expect(snapshot.containers).toEqual([]);
  const layers = join(kr.root, 'data', 'containers');
  expect(existsSync(layers) ? readdirSync(layers) : []).toEqual([]);
  expect(kit(['ps', '-aq'], kr.env).stdout).toBe('');
  expect(cgroupDirsOf(ids)).toEqual([]);
  await eventually(() => processesOf(ids).length === 0, 10000); // a shim exits once it has answered
}

/** kit's lines on stderr (node's own warnings aside). */
function lines(stderr: string): string[] {
  return stderr.trim().split('\n').filter((l) => l && !l.includes('Warning') && !l.includes('trace-warnings'));
}

test('--userns=auto under a KIT_ROOT of mode 0700: foreground, --name and -d all say the root cannot pass through it and how to fix it, exit 125, and leave nothing', async () => {
  expect(kit(['run', '--rm', 'base', 'true'], kr.env).status).toBe(0); // the base image, built once before the root is closed
  chmodSync(kr.root, 0o700);
  const cannotPass = new RegExp(`^kit: .*the container's root is host uid \\d+ in its user namespace, and it cannot pass through ${kr.root} \\(mode 0700\\) to reach \\S+; put kit's data under a directory other users may pass through \\(chmod o\\+x ${kr.root}\\), or set KIT_ROOT elsewhere$`);
  for (const flags of [['--rm'], ['--name', `kitfail${process.pid}`], ['-d'], ['-d', '--name', `kitfaild${process.pid}`]]) {
    const r = kit(['run', ...flags, '--userns=auto', '--network', 'none', 'base', 'sleep', '60'], kr.env);
    expect({ flags, status: r.status, stdout: r.stdout }).toEqual({ flags, status: 125, stdout: '' });
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(cannotPass);
    expect(r.stderr).not.toMatch(/EBUSY|rmdir/);
    if (flags.includes('-d')) expect(r.stderr).toMatch(/^kit: container [0-9a-f]{12} did not start: /);
    const ids = idsIn(r.stderr);
    expect(ids).toHaveLength(1);
    await expectNothingLeft(ids);
  }
  expect(statSync(kr.root).mode & 0o7777).toBe(0o700); // kit opened none of it on its own
});

test('a kept container whose `kit start` fails (its root cannot be reached) says why and is still there; started once the root is open, it has what it wrote', () => {
  chmodSync(kr.root, 0o711);
  const name = `kitkeep${process.pid}`;
  expect(kit(['run', '--name', name, '--userns=auto', '--network', 'none', 'base', 'sh', '-c', 'echo kept > /mark'], kr.env).status).toBe(0);
  try {
    chmodSync(kr.root, 0o700);
    const r = kit(['start', name], kr.env);
    expect(r.status).toBe(1); // docker start: 1 for every failure
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/did not start: the container's root is host uid \d+ in its user namespace, and it cannot pass through .*\(mode 0700\).*chmod o\+x/);
    expect(hostSnapshot(kr.root).mounts).toEqual([]);
    expect(kit(['ps', '-a', '--format', '{{.Names}}'], kr.env).stdout.trim()).toBe(name);
    chmodSync(kr.root, 0o711);
    expect(kit(['start', '-a', name], kr.env).status).toBe(0);
    expect(kit(['diff', name], kr.env).stdout).toMatch(/^A \/mark$/m);
  } finally {
    chmodSync(kr.root, 0o711);
    expect(kit(['rm', '-f', name], kr.env).status).toBe(0);
  }
});

test.each([
  [['--device', '/dev/kit-no-such-device'], ['true'], 125, /--device \/dev\/kit-no-such-device: cannot find \/dev\/kit-no-such-device on the host \(ENOENT\)/],
  [['--workdir', '/etc/passwd'], ['true'], 125, /the image's \/etc\/passwd: \/etc\/passwd is not a directory/],
  [[], ['kit-no-such-command'], 127, /execve\("kit-no-such-command".*ENOENT[\s\S]*no such file in the image's rootfs/],
  [[], ['/etc/passwd'], 126, /execve\("\/etc\/passwd".*EACCES[\s\S]*the file exists but is not executable/],
])('-d with %j %j: the error the foreground run gives, in one line; nothing left, but for a command that cannot run (kept Created, as Docker keeps it, until rm)', async (flags, command, code, cause) => {
  chmodSync(kr.root, 0o711);
  const fg = kit(['run', '--rm', '--network', 'none', ...flags, 'base', ...command], kr.env);
  expect(fg.status).toBe(code);
  expect(fg.stderr).toMatch(cause);
  const d = kit(['run', '-d', '--network', 'none', ...flags, 'base', ...command], kr.env);
  expect({ status: d.status, stdout: d.stdout }).toEqual({ status: code, stdout: '' });
  expect(lines(d.stderr)).toHaveLength(1);
  expect(d.stderr).toMatch(cause);
  if (code !== 125) {
    const [id] = idsIn(d.stderr);
    expect(kit(['ps', '-a', '--filter', `id=${id}`, '--format', '{{.Status}} {{.ExitCode}}'], kr.env).stdout).toBe(`Created ${code}\n`);
    expect(kit(['rm', id], kr.env).status).toBe(0);
  }
  await expectNothingLeft(idsIn(d.stderr));
});

test("under the caller's umask 077 (a hardened host), --userns=auto still runs: kit makes the container's dirs and files under 022 as dockerd and podman do, and the command starts with 0022", () => {
  chmodSync(kr.root, 0o711);
  expect(kit(['run', '--rm', '--network', 'none', 'base', 'true'], kr.env).status).toBe(0); // the base image, whichever test runs first
  const before = process.umask(0o077);
  try {
    for (const flags of [['--rm'], ['--name', `kitumask${process.pid}`]]) {
      const r = kit(['run', ...flags, '--userns=auto', '--network', 'none', 'base', 'sh', '-c', 'umask; cat /etc/hostname >/dev/null && touch /made && echo ok'], kr.env);
      expect({ flags, status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ flags, status: 0, stdout: '0022\nok\n', stderr: '' });
    }
  } finally {
    process.umask(before);
  }
  expect(kit(['rm', `kitumask${process.pid}`], kr.env).status).toBe(0);
});
