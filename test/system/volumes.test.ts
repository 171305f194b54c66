import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanKitRoot, hostSnapshot, kit } from '../support/kit';

/** -v, named volumes, --mount and --tmpfs, as Docker has them. */
const prefix = `vol${process.pid}`;
const kr = cleanKitRoot(() => {
  for (const c of [`${prefix}-c`, `${prefix}-img`]) kit(['rm', '-f', c], kr.env);
  kit(['image', 'rm', '-f', `${prefix}-img`], kr.env);
});

beforeAll(() => expect(kit(['image', 'ls'], kr.env).status).toBe(0)); // builds base once

test('-v HOST:CTR round trip: the container reads the host file and what it writes is on the host; :ro refuses writes', () => {
  const dir = join(kr.root, 'shared');
  mkdirSync(dir);
  writeFileSync(join(dir, 'in.txt'), 'from the host\n');
  const r = kit(['run', '-v', `${dir}:/data`, 'base', 'sh', '-c', 'cat /data/in.txt; echo from the container > /data/out.txt'], kr.env);
  expect(r).toMatchObject({ status: 0, stdout: 'from the host\n' });
  expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('from the container\n');
  const ro = kit(['run', '-v', `${dir}:/data:ro`, 'base', 'sh', '-c', 'echo no > /data/nope'], kr.env);
  expect(ro.status).not.toBe(0);
  expect(ro.stderr).toContain('Read-only file system');
  expect(existsSync(join(dir, 'nope'))).toBe(false);
  // -v creates a missing host directory, as Docker does
  const made = join(kr.root, 'made-by-v');
  expect(kit(['run', '-v', `${made}:/m`, 'base', 'true'], kr.env).status).toBe(0);
  expect(existsSync(made)).toBe(true);
});

test('a named volume survives the container; volume ls/inspect/rm, and rm is refused while a container uses it', () => {
  const vol = `${prefix}-data`;
  expect(kit(['run', '--rm', '-v', `${vol}:/v`, 'base', 'sh', '-c', 'echo kept > /v/file'], kr.env).status).toBe(0);
  expect(kit(['run', '--rm', '-v', `${vol}:/v`, 'base', 'cat', '/v/file'], kr.env).stdout).toBe('kept\n');
  expect(kit(['volume', 'ls'], kr.env).stdout).toMatch(new RegExp(`^local\\s+${vol}$`, 'm'));
  const [info] = JSON.parse(kit(['volume', 'inspect', vol], kr.env).stdout) as Array<{ Mountpoint: string }>;
  expect(readFileSync(join(info.Mountpoint, 'file'), 'utf8')).toBe('kept\n');
  expect(kit(['run', '-d', '--name', `${prefix}-c`, '-v', `${vol}:/v`, 'base', 'sleep', '300'], kr.env).status).toBe(0);
  const refused = kit(['volume', 'rm', vol], kr.env);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain(`volume ${vol} is in use by container ${prefix}-c`);
  expect(kit(['rm', '-f', `${prefix}-c`], kr.env).status).toBe(0);
  expect(kit(['volume', 'rm', vol], kr.env).status).toBe(0);
  expect(existsSync(info.Mountpoint)).toBe(false);
});

test("--tmpfs is noexec, nosuid and nodev unless it says exec, as Docker's: a program copied there does not run; Docker's own example line is taken", () => {
  const copyAndRun = 'cp /bin/busybox /scratch/busybox && /scratch/busybox echo ran; echo "exit $?"';
  const plain = kit(['run', '--rm', '--network', 'none', '--tmpfs', '/scratch', 'base', 'sh', '-c', `grep " /scratch " /proc/mounts; ${copyAndRun}`], kr.env);
  expect(plain.stdout).toMatch(/^tmpfs \/scratch tmpfs rw,nosuid,nodev,noexec,/);
  expect(plain.stdout).toMatch(/\nexit 126\n$/); // sh: Permission denied
  expect(plain.stdout).not.toContain('ran');
  expect(kit(['run', '--rm', '--network', 'none', '--tmpfs', '/scratch:exec', 'base', 'sh', '-c', copyAndRun], kr.env).stdout).toBe('ran\nexit 0\n');
  const docs = kit(['run', '--rm', '--network', 'none', '--tmpfs', '/run:rw,noexec,nosuid,size=65536k', 'base', 'sh', '-c', 'grep " /run " /proc/mounts'], kr.env);
  expect(docs.stdout).toMatch(/^tmpfs \/run tmpfs rw,nosuid,nodev,noexec,relatime,size=65536k /);
});

test('--tmpfs and --mount; a missing --mount bind source is refused (Docker\'s split); bad values are one line, exit 125, nothing left', () => {
  expect(kit(['run', '--tmpfs', '/scratch', 'base', 'sh', '-c', 'grep " /scratch " /proc/mounts'], kr.env).stdout).toMatch(/^tmpfs \/scratch tmpfs rw,nosuid,nodev/);
  const dir = join(kr.root, 'mnt-src');
  mkdirSync(dir);
  writeFileSync(join(dir, 'f'), 'mounted\n');
  expect(kit(['run', '--mount', `type=bind,source=${dir},target=/m,readonly`, 'base', 'sh', '-c', 'cat /m/f; touch /m/g'], kr.env)).toMatchObject({ stdout: 'mounted\n' });
  expect(existsSync(join(dir, 'g'))).toBe(false);
  const missing = join(kr.root, 'not-there');
  const cases = [
    ['--mount', `type=bind,source=${missing},target=/x`],
    ['-v', 'relative:dir'],
    ['-v', `${dir}:/a:rx`],
    ['-v', `${dir}`],
    ['--mount', 'type=nfs,target=/x'],
    ['--tmpfs', 'scratch'],
    ['-v', `${dir}:/`],
  ];
  for (const args of cases) {
    const r = kit(['run', ...args, 'base', 'true'], kr.env);
    expect({ args, status: r.status, lines: r.stderr.trim().split('\n').length }).toEqual({ args, status: 125, lines: 1 });
  }
  expect(existsSync(missing)).toBe(false);
  expect(hostSnapshot(kr.root).containers).toEqual([]);
});

test('the container path is resolved inside the rootfs: a symlink in the image pointing out of it lands inside, never on the host', () => {
  const outside = join('/tmp', `${prefix}-outside`);
  rmSync(outside, { recursive: true, force: true });
  // an image whose /escape is a symlink to ../../../../tmp/<name>: on the host that would be the host's /tmp
  expect(kit(['run', '--name', `${prefix}-img`, 'base', 'ln', '-s', `../../../../../../..${outside}`, '/escape'], kr.env).status).toBe(0);
  expect(kit(['commit', `${prefix}-img`, `${prefix}-img`], kr.env).status).toBe(0);
  const dir = join(kr.root, 'bound');
  mkdirSync(dir);
  writeFileSync(join(dir, 'f'), 'bound\n');
  const r = kit(['run', '--rm', '-v', `${dir}:/escape/sub`, `${prefix}-img`, 'cat', `${outside}/sub/f`], kr.env);
  expect(r).toMatchObject({ status: 0, stdout: 'bound\n' }); // inside the container, where the link leads within its root
  expect(existsSync(outside)).toBe(false); // nothing on the host's /tmp
});
