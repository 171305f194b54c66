import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireRoot } from '../support/kit';
import type { ChapterJson } from '../support/json';

/**
 * Chapters without sudo: a user this test creates (and removes) runs them,
 * with no KIT_ROOT, so kit keeps its dirs under the user's home (XDG).
 */
requireRoot();
const BIN = join(__dirname, '..', '..', 'bin', 'run.js');
const name = `kitrl${randomBytes(3).toString('hex')}`;
const home = mkdtempSync(join(tmpdir(), 'kit-rootless-'));
let uid = 0;
let gid = 0;

beforeAll(() => {
  const made = spawnSync('useradd', ['--no-create-home', '--home-dir', home, '--shell', '/bin/sh', name], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`useradd ${name}: ${made.stderr}`);
  uid = Number(spawnSync('id', ['-u', name], { encoding: 'utf8' }).stdout.trim());
  gid = Number(spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim());
  chownSync(home, uid, gid);
  chmodSync(home, 0o700);
});

afterAll(() => {
  spawnSync('userdel', [name]);
  rmSync(home, { recursive: true, force: true });
});

/** kit as that user: setpriv drops to its uid and gid, with no supplementary groups, as a login would give. */
function asUser(args: string[]) {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, NO_COLOR: '1', FORCE_COLOR: '0' };
  const r = spawnSync('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', process.execPath, BIN, ...args], { env, cwd: home, encoding: 'utf8', timeout: 120000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function chapterJson(id: string): ChapterJson {
  const r = asUser(['chapter', id, '--json']);
  if (r.status !== 0) throw new Error(`kit chapter ${id} as ${name} exited ${r.status}: ${r.stderr}${r.stdout.slice(0, 2000)}`);
  return JSON.parse(r.stdout) as ChapterJson;
}

test('kit chapter, without root: marks which chapters this user can run, and says why the others need sudo', () => {
  const r = asUser(['chapter', '--json']);
  expect(r.status).toBe(0);
  const list = JSON.parse(r.stdout) as Array<{ id: string; ready: boolean; viaUserNamespace: boolean; problems: string[] }>;
  const byId = new Map(list.map((c) => [c.id, c]));
  for (const id of ['uts', 'pid', 'mount', 'ipc', 'cgroupns', 'user', 'rootfs', 'net']) expect(byId.get(id)).toMatchObject({ ready: true, viaUserNamespace: true });
  expect(byId.get('host')).toMatchObject({ ready: true, viaUserNamespace: false });
  for (const id of ['cgroup', 'memory', 'layers']) {
    expect(byId.get(id)?.ready).toBe(false);
    expect(byId.get(id)?.problems.join(' ')).toMatch(/^needs root: .+; sudo runs it$/);
  }
  const text = asUser(['chapter']).stdout;
  expect(text).toMatch(/uts\s+UTS namespace.*\n.*ready without root \(through a user namespace\)/);
});

test.each([
  ['uts', (r: ChapterJson) => expect(r.container.stdout.trim()).toBe('kit-uts-demo')],
  ['pid', (r: ChapterJson) => expect(r.container.stdout).toMatch(/\n\S+\s+1\s+0\s.*ps -ef/)],
  ['mount', (r: ChapterJson) => {
    expect(r.container.stdout).toMatch(/tmpfs kit-demo/);
    // The count it quotes is this run's (more than as root: each /dev node is a bind mount here).
    const inside = /inside: (\d+) mounts/.exec(r.container.stdout)![1];
    const claims = (r as unknown as { claims: Array<{ says: string; held: boolean }> }).claims;
    expect(claims.find((c) => c.says.includes(`${inside} mounts inside`))?.held).toBe(true);
  }],
  ['rootfs', (r: ChapterJson) => expect(r.container.stdout).toContain('still inside the image')],
  ['chroot', (r: ChapterJson) => expect(r.container.stdout).toMatch(/^ESCAPED/)],
  ['ipc', (r: ChapterJson) => expect(r.container.stdout).toContain('Message Queues')],
  ['cgroupns', (r: ChapterJson) => expect(r.container.stdout).toMatch(/^0::\/$|:\/$/m)],
  // Without root, the net chapter is its lo-only part: a network namespace of the user's own, no veth, no NAT.
  ['net', (r: ChapterJson) => {
    expect((r as unknown as { title: string }).title).toMatch(/lo only/);
    expect([...r.container.stdout.matchAll(/^\d+: ([^:@\s]+)[:@]/gm)].map((m) => m[1])).toEqual(['lo']);
    expect(r.container.stdout).toMatch(/1 packets transmitted, 1 packets received/);
    expect(r.container.stdout).toMatch(/Network is unreachable/);
    expect((r as unknown as { claims: Array<{ held: boolean }> }).claims.every((c) => c.held)).toBe(true);
  }],
])('%s runs without root through a user namespace mapping the user to 0', (id, check) => {
  const r = chapterJson(id);
  expect(r.container.exitCode).toBe(0);
  check(r);
  // What the chapter points out is what this run showed: no "not in this run" for a user without root.
  const claims = (r as unknown as { claims: Array<{ says: string; held: boolean }> }).claims;
  expect(claims.length).toBeGreaterThan(0);
  expect(claims.filter((c) => !c.held).map((c) => c.says)).toEqual([]);
  const clone = r.trace.find((e) => e.syscall === 'clone')!;
  expect(clone.args[0]).toContain('CLONE_NEWUSER');
  const writes = r.trace.filter((e) => e.side === 'host' && e.syscall === 'write' && e.args[0].startsWith(`"/proc/${clone.ret}/`));
  expect(writes.map((e) => e.args[1])).toEqual(['"deny"', `"0 ${uid} 1\\n"`, `"0 ${gid} 1\\n"`]);
  expect(r.trace.some((e) => e.errno === 'EACCES')).toBe(false);
});

test('user, without root: root inside is the user outside, and what it writes is the user\'s', () => {
  const r = chapterJson('user');
  expect(r.container.stdout).toMatch(/^uid=0\(root\) gid=0\(root\)/);
  const files = (r as unknown as { running: Array<{ probe: string; text: string }> }).running.find((p) => p.probe === 'files-made-inside')!;
  expect(files.text).toMatch(new RegExp(`-rw-r--r-- 1 ${uid} ${gid} \\d+ .* made-inside`));
  // kit's own dirs are the user's, where XDG puts them.
  const data = join(home, '.local', 'share', 'kit');
  expect(existsSync(data)).toBe(true);
  expect(statSync(data).uid).toBe(uid);
});

test('a chapter that needs root says why in one line, and that sudo runs it; no raw EACCES', () => {
  const r = asUser(['chapter', 'cgroup']);
  expect(r.status).not.toBe(0);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^kit: chapter 'cgroup' cannot run here: needs root: cgroup limits.*; sudo runs it/);
  expect(r.stderr).not.toMatch(/EACCES|EPERM/);
});

test('kit run without root: a user namespace mapping the user to 0, lo only; a map not the user\'s, a limit or the bridge is one line', () => {
  const ok = asUser(['run', '--network', 'none', 'base', 'sh', '-c', 'id -u; cat /proc/self/uid_map; ip -o link; ls -ln /bin/busybox']);
  expect(ok.stderr).not.toMatch(/EACCES|EPERM|Error/);
  expect(ok.status).toBe(0);
  const lines = ok.stdout.trim().split('\n');
  expect(lines[0]).toBe('0');
  expect(lines[1].trim().split(/\s+/)).toEqual(['0', String(uid), '1']);
  expect(lines.slice(2, -1).map((l) => l.split(':')[1].trim())).toEqual(['lo']);
  expect(lines[lines.length - 1]).toMatch(/^-rwxr-xr-x\s+1 0\s+0 /);
  // No cgroup, so no device rules: the user namespace keeps devices out (mknod of one is refused), and the trace says so.
  const dev = asUser(['run', '--trace', '--network', 'none', 'base', 'sh', '-c', 'mknod /tmp/disk b 7 0 || echo refused']);
  expect(dev.stdout).toMatch(/^refused$/m);
  expect(dev.stderr).toMatch(/mknod: \/tmp\/disk: Operation not permitted/);
  expect(dev.stderr.replace(/\s+/g, ' ')).toMatch(/the kernel makes it nodev, and mknod of a device is refused here/);
  for (const [args, message] of [
    [['--uidmap', '0:0:1'], new RegExp(`--uidmap 0:0:1: host uid 0 is not yours to map \\(you are uid ${uid}\\); without root a user namespace may map only your own uid: use --uidmap 0:${uid}:1, or run kit with sudo`)],
    [['--uidmap', `0:${uid}:2`], /is not yours to map/],
    [['--memory', '32m'], /cgroup limits \(memory\) need write access to the host's cgroups, which only root has here; sudo runs it/],
    [['--userns=auto'], /--userns=auto changes \/etc\/subuid and may create a user: it needs root/],
    [[], /changing the host's network needs root/],
  ] as Array<[string[], RegExp]>) {
    const r = asUser(['run', ...(args.length ? ['--network', 'none'] : []), ...args, 'base', 'true']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  }
});
