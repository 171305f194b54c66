import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockerSaveTar, makeTree } from '../support/images';
import { cleanKitRoot, expectRunRefused, hostSnapshot, kit, kitJson } from '../support/kit';
import { ociHarness } from '../support/oci-bundle';

/**
 * Hostile flag values and configs (an adversarial audit, as runc's and
 * podman's reviewers would do it): each is one line naming the value and
 * the fix, a non-zero exit, and nothing left behind.
 */
const kr = cleanKitRoot(() => deleteAll());
const { makeBundle, runtime, deleteAll } = ociHarness(kr);
const dir = join(kr.root, 'host-dir');
mkdirSync(dir);
writeFileSync(join(dir, 'meminfo'), 'MemTotal: 42 kB\n');

beforeAll(() => expect(kit(['image', 'ls'], kr.env).status).toBe(0)); // builds base once

describe('a mount inside /proc is refused, as runc refuses it: it would cover the masked and read-only paths', () => {
  test('-v, --tmpfs and --mount at /proc or below it: one line, exit 125, no container', () => {
    expectRunRefused(kr, [
      [['-v', `${dir}:/proc`], /^kit: -v: cannot mount at \/proc is inside \/proc, which kit mounts itself .*; pick a path outside \/proc/],
      [['-v', `${dir}:/proc/sys`], /^kit: -v: cannot mount at \/proc\/sys is inside \/proc/],
      [['-v', `${dir}:/proc/./sys/../sys`], /^kit: -v: cannot mount at \/proc\/sys is inside \/proc/],
      [['--tmpfs', '/proc/sys'], /^kit: --tmpfs: cannot mount at \/proc\/sys is inside \/proc/],
      [['--mount', `type=bind,source=${dir},target=/proc/self`], /^kit: --mount: cannot mount at \/proc\/self is inside \/proc/],
    ]);
  });

  test('a file LXCFS replaces (/proc/meminfo) may still be bound, as runc allows', () => {
    const r = kit(['run', '--rm', '--network', 'none', '-v', `${join(dir, 'meminfo')}:/proc/meminfo:ro`, 'base', 'cat', '/proc/meminfo'], kr.env);
    expect(r.stdout).toBe('MemTotal: 42 kB\n');
    expect(r.status).toBe(0);
  });

  test("an image's symlink /data -> /proc does not carry -v DIR:/data/sys into /proc: refused, nothing left", () => {
    const layer = makeTree(join(kr.root, 'proc-link'), { busybox: readFileSync('/bin/busybox') });
    chmodSync(join(layer, 'busybox'), 0o755);
    symlinkSync('/proc', join(layer, 'data'));
    kitJson(['image', 'import', dockerSaveTar(join(kr.root, 'proc-link.tar'), [layer], {}, ['proc link']), '--name', 'proc-link'], kr.env);
    const r = kit(['run', '--rm', '--network', 'none', '-v', `${dir}:/data/sys`, 'proc-link', '/busybox', 'sh', '-c', '/busybox echo 1 > /data/sys/kernel/printk_delay'], kr.env);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^kit: -v: cannot mount at \/data\/sys leads to \/proc\/sys through the image's symlinks: \/proc\/sys is inside \/proc/)]);
    expect(r.status).toBe(125);
    expect(hostSnapshot(kr.root).containers).toEqual([]);
    expect(kit(['ps', '-aq'], kr.env).stdout).toBe('');
  });

  test("kit-runtime: config.json's mount at /proc/sys is one line naming the field, exit 1, nothing made", () => {
    const bundle = makeBundle('b-proc', (c) => c.mounts.push({ destination: '/proc/sys', type: 'bind', source: dir, options: ['rbind'] }));
    const r = runtime(['run', '--bundle', bundle, 'kit-hostile-proc']);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^kit-runtime: mounts\[\d+\]\.destination: \/proc\/sys is inside \/proc, which kit mounts itself/)]);
    expect(r.status).toBe(1);
    expect(existsSync(join(bundle, 'rootfs', 'proc', 'sys'))).toBe(false);
    expect(runtime(['list', '--quiet']).stdout).toBe('');
  });
});

test('-h: a hostname with a newline (a line of its own in /etc/hosts), a slash, or past the kernel\'s 64 bytes is one line, exit 125, no container', () => {
  expectRunRefused(kr, [
    [['-h', 'web\n6.6.6.6 bank.example'], /^kit: invalid hostname "web\\n6\.6\.6\.6 bank\.example": a hostname is letters, digits, dashes and underscores, with dots between labels, at most 64 characters; e\.g\. -h web-1/],
    [['-h', 'a/b'], /^kit: invalid hostname "a\/b"/],
    [['-h', 'x'.repeat(300)], /^kit: invalid hostname "x{64}\.\.\.": /],
  ]);
  const ok = kit(['run', '--rm', '--network', 'none', '-h', 'db_1.example.org', 'base', 'hostname'], kr.env);
  expect(ok.stdout).toBe('db_1.example.org\n');
});

describe('a FIFO or a device where a small file is expected is refused at once, never opened for a read that waits for ever', () => {
  const fifo = join(kr.root, 'fifo');
  beforeAll(() => expect(spawnSync('mkfifo', [fifo]).status).toBe(0));

  test('kit build -f FIFO, -f /dev/zero, -f DIR: one line naming it, exit 1, no image', () => {
    const context = join(kr.root, 'ctx');
    mkdirSync(context, { recursive: true });
    for (const [kitfile, line] of [
      [fifo, /^kit: the Kitfile .*\/fifo is not a regular file; give a text file of instructions with -f$/],
      ['/dev/zero', /^kit: the Kitfile \/dev\/zero is not a regular file; /],
      [context, /^kit: the Kitfile .*\/ctx is not a regular file; /],
    ] as Array<[string, RegExp]>) {
      const r = kit(['build', '-f', kitfile, '-t', 'kit-hostile-build', context], kr.env);
      expect({ kitfile, status: r.status, stderr: r.stderr.trim() }).toEqual({ kitfile, status: 1, stderr: expect.stringMatching(line) });
    }
    expect(kit(['image', 'ls', '-q'], kr.env).stdout).not.toContain('kit-hostile-build');
  });

  test('--security-opt seccomp=FIFO: one line, exit 125, no container', () => {
    expectRunRefused(kr, [[['--security-opt', `seccomp=${fifo}`], /^kit: seccomp profile .*\/fifo is not a regular file; give the path of a JSON profile file/]]);
  });
});

test("--tmpfs PATH:OPTIONS is Docker's: size and mode are applied, not made part of the path; an unknown option or --mount key is one line, exit 125", () => {
  const r = kit(['run', '--rm', '--network', 'none', '--tmpfs', '/x:size=1m,mode=700', '--mount', 'type=tmpfs,target=/y,tmpfs-size=2m,tmpfs-mode=755', 'base', 'sh', '-c', 'grep -E " /(x|y) " /proc/mounts; ls /'], kr.env);
  expect(r.stdout).toMatch(/^tmpfs \/x tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k,mode=700 /m);
  expect(r.stdout).toMatch(/^tmpfs \/y tmpfs rw,nosuid,nodev,noexec,relatime,size=2048k,mode=755 /m);
  expect(r.stdout).not.toContain('x:size');
  expectRunRefused(kr, [
    [['--tmpfs', '/x:bogus=1'], /^kit: bad --tmpfs option 'bogus=1' in '\/x:bogus=1'; use size=SIZE, mode=OCTAL, ro, rw, exec or noexec/],
    [['--tmpfs', '/x:suid'], /^kit: --tmpfs option 'suid' in '\/x:suid' is refused: kit's tmpfs mounts are always nosuid and nodev/],
    [['--tmpfs', '/x:size=1e30'], /^kit: --tmpfs \/x size "1e30" is not valid: it takes a size like 64m/],
    [['--tmpfs', '/x:mode=999'], /^kit: bad --tmpfs \/x mode '999'; give an octal mode/],
    [['--mount', 'type=bind,source=/etc,target=/x,bogus=1'], /^kit: --mount 'type=bind,source=\/etc,target=\/x,bogus=1': kit does not know the key 'bogus' for type=bind; use type, source/],
  ]);
});

describe("an image's USER is who its command runs as, as in Docker, never root by default", () => {
  const imageWith = (name: string, user: string) => {
    const layer = makeTree(join(kr.root, `user-${name}`), { 'bin/busybox': readFileSync('/bin/busybox'), 'etc/passwd': 'root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n' });
    chmodSync(join(layer, 'bin', 'busybox'), 0o755);
    kitJson(['image', 'import', dockerSaveTar(join(kr.root, `user-${name}.tar`), [layer], { User: user, Cmd: ['/bin/busybox', 'sh', '-c', '/bin/busybox id; /bin/busybox grep -E "^Cap(Eff|Inh)" /proc/self/status'] }, ['user']), '--name', name], kr.env);
  };

  test('USER app (or 1000:1000): uid 1000, no capabilities; -u 0 overrides it', () => {
    imageWith('user-app', 'app');
    imageWith('user-num', '1000:1000');
    for (const image of ['user-app', 'user-num']) {
      const r = kit(['run', '--rm', '--network', 'none', image], kr.env);
      expect(r.stdout).toMatch(/^uid=1000\(app\) gid=1000/);
      expect(r.stdout).toMatch(/^CapEff:\s*0{16}$/m);
      expect(r.status).toBe(0);
    }
    expect(kit(['run', '--rm', '--network', 'none', '-u', '0', 'user-app'], kr.env).stdout).toMatch(/^uid=0\(root\)/);
  });

  test('a USER that is no user (../../etc) or not in its /etc/passwd is one line, exit 125, no container', () => {
    imageWith('user-bad', '../../etc');
    imageWith('user-missing', 'ghost');
    for (const [image, line] of [
      ['user-bad', /^kit: image 'user-bad' says its User is '\.\.\/\.\.\/etc', which is not UID\[:GID\] or NAME\[:GROUP\]; give the user with -u/],
      ['user-missing', /^kit: -u ghost: no user 'ghost' in the image's \/etc\/passwd/],
    ] as Array<[string, RegExp]>) {
      const r = kit(['run', '--rm', '--network', 'none', image], kr.env);
      expect({ status: r.status, lines: r.stderr.trim().split('\n') }).toEqual({ status: 125, lines: [expect.stringMatching(line)] });
    }
    expect(hostSnapshot(kr.root).containers).toEqual([]);
  });
});

test("a mount over /sys or /dev that lacks what kit masks there is refused up front, naming it; the host's own /sys and /dev still bind", () => {
  expectRunRefused(kr, [
    [['-v', `${dir}:/sys`], /^kit: -v \/sys: kit masks \/sys\/firmware \(as runc does\), and .*\/host-dir has no firmware; mount it at another path, or bind the host's own \/sys/],
    [['--tmpfs', '/sys'], /^kit: --tmpfs \/sys: kit masks \/sys\/firmware \(as runc does\), and a tmpfs there has no firmware; /],
    [['-v', `${dir}:/dev`], /^kit: -v \/dev: kit binds \/dev\/null over the files it masks \(as runc does\), and .*\/host-dir has no null; /],
  ]);
  for (const host of ['/sys', '/dev']) expect(kit(['run', '--rm', '--network', 'none', '-v', `${host}:${host}:ro`, 'base', 'true'], kr.env).status).toBe(0);
});
