import { closeSync, cpSync, existsSync, openSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync, type StdioOptions } from 'node:child_process';
import { join } from 'node:path';
import { statePid, type ChapterJson, type EventJson } from '../support/json';
import { eventually, hostSnapshot, kit, kitBackground, kitJson, requireRoot, tempKitRoot } from '../support/kit';

interface RunJson {
  pid: number;
  trace: EventJson[];
  stdout: string;
  stderr: string;
  exitCode: number;
}

requireRoot();
const kr = tempKitRoot();
const before = hostSnapshot(kr.root);
afterEach(() => expect(hostSnapshot(kr.root)).toEqual(before));
afterAll(() => kr.cleanup());

/** The base image's only layer, as stored. */
function baseLayer(root: string): string {
  const layers = readdirSync(join(root, 'data', 'layers')).filter((d) => !d.startsWith('.'));
  expect(layers).toHaveLength(1);
  return join(root, 'data', 'layers', layers[0], 'diff');
}

test('kit image ls builds and lists base; kit run base ls / lists exactly the image\'s root', () => {
  const ls = kit(['image', 'ls'], kr.env);
  expect(ls.status).toBe(0);
  expect(ls.stdout).toMatch(/^base\s+1\s+\["sh"\]/m);
  const r = kit(['run', 'base', 'ls', '/'], kr.env);
  expect(r.status).toBe(0);
  expect(r.stdout.trim().split('\n')).toEqual(readdirSync(baseLayer(kr.root)).sort());
  expect(r.stdout).not.toContain('work'); // a host-only directory
});

test('inside: /proc/1/cmdline is the container\'s command, /dev holds only the safe devices, /dev/null works', () => {
  const cmdline = runJson(['base', 'cat', '/proc/1/cmdline']);
  expect(cmdline.stdout).toBe('cat\0/proc/1/cmdline\0');
  const dev = runJson(['base', 'sh', '-c', 'ls /dev; echo hidden > /dev/null && echo null-ok; ls /dev/sda']);
  const lines = dev.stdout.trim().split('\n');
  expect(lines.slice(0, -1)).toEqual(['fd', 'full', 'null', 'ptmx', 'pts', 'random', 'shm', 'stderr', 'stdin', 'stdout', 'tty', 'urandom', 'zero']);
  expect(lines[lines.length - 1]).toBe('null-ok');
  expect(dev.stderr).toContain('/dev/sda: No such file or directory');
});

test('pivot_root: the old root is detached, masked paths are masked, /proc/sys is read-only', () => {
  const r = runJson(['base', 'sh', '-c', 'cat /proc/self/mountinfo; wc -c < /proc/keys; echo evil > /proc/sys/kernel/hostname || echo sysctl-refused']);
  const calls = r.trace.filter((e) => e.side === 'container').map((e) => `${e.syscall}(${e.args.join(', ')}) = ${e.ret}`);
  expect(calls).toContain('pivot_root(".", ".oldroot") = 0');
  expect(calls).toContain('umount2("/.oldroot", MNT_DETACH) = 0');
  expect(r.stdout).not.toContain('oldroot');
  expect(r.stdout).not.toMatch(/ \/work | \/home /); // no host mount is left in the namespace
  expect(r.stdout).toMatch(/^0$/m); // /proc/keys is /dev/null
  expect(r.stdout).toContain('sysctl-refused');
  expect(r.stderr).toContain('Read-only file system');
});

test('a mount made inside is in the container\'s mount table and never in the host\'s', async () => {
  const child = kitBackground(['chapter', 'mount', '--', 'sh', '-c', 'mkdir -p /mnt/kit-demo && mount -t tmpfs kit-demo /mnt/kit-demo && sleep 3'], kr.env);
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const dir = join(kr.root, 'run', 'containers');
  let pid = 0;
  await eventually(() => {
    pid = existsSync(dir) ? readdirSync(dir).map((id) => statePid(join(dir, id))).find((p) => p > 0) ?? 0 : 0;
    return pid > 0 && readOr(`/proc/${pid}/mountinfo`).includes('kit-demo');
  }, 20000);
  expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain('kit-demo');
  expect(readFileSync('/proc/1/mountinfo', 'utf8')).not.toContain('kit-demo');
  expect(await exited).toBe(0);
});

test('mount chapter: the host mount table has the same mounts before and after, and no kit-demo', () => {
  const r = kitJson<ChapterJson>(['chapter', 'mount'], kr.env);
  expect(r.container.stdout).toMatch(/\/mnt\/kit-demo rw,relatime - tmpfs kit-demo/);
  expect(r.before[0].text).toContain('no mount with a kit-… source');
  expect(r.after[0].text).toContain('no mount with a kit-… source');
});

test('ipc: a message queue made on the host is invisible inside, and removed afterwards', () => {
  const r = kitJson<ChapterJson>(['chapter', 'ipc'], kr.env);
  const made = r.trace.find((e) => e.side === 'host' && e.syscall === 'msgget' && e.args[1].includes('IPC_CREAT'))!;
  expect(made.ret).toBeGreaterThanOrEqual(0);
  const key = made.args[0]; // 0x4b......
  expect(key).toMatch(/^0x4b[0-9a-f]{6}$/);
  expect(r.during.find((p) => p.probe === 'ipc-queues')!.text).toContain(key);
  expect(r.container.stdout).toContain('Message Queues');
  expect(r.container.stdout).not.toContain(key);
  expect(r.container.stdout).not.toMatch(/^0x/m);
  expect(r.after[0].text).not.toContain(key);
  expect(r.trace.some((e) => e.syscall === 'msgctl' && e.args[1] === 'IPC_RMID' && e.ret === 0)).toBe(true);
});

test('ipc: during the run, only kit\'s queue is marked + (not the ipcs header, padded once rows follow it)', () => {
  const text = kit(['chapter', 'ipc', '--no-trace'], kr.env).stdout;
  const during = text.split("Host during: the host's System V message queues")[1].split('\n\n')[0];
  expect(during.split('\n').filter((l) => /^\s*\+ /.test(l))).toEqual([expect.stringMatching(/^\s*\+ 0x4b[0-9a-f]{6} /)]);
});

test('kill -9 of kit mid-run: the next kit run removes the host queue and the rootfs it left', async () => {
  const child = kitBackground(['chapter', 'ipc', '--', 'sleep', '30'], kr.env);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const dir = join(kr.root, 'run', 'containers');
  let id = '';
  await eventually(() => {
    id = existsSync(dir) ? readdirSync(dir).find((d) => statePid(join(dir, d)) > 0) ?? '' : '';
    return id !== '' && readOr(`/proc/${statePid(join(dir, id))}/cmdline`).startsWith('sleep');
  }, 20000);
  const journal = readOr(join(dir, id, 'journal'));
  const key = (JSON.parse(journal.split('\n').find((l) => l.includes('msgrm'))!) as { key: number }).key;
  const keyHex = `0x${key.toString(16)}`;
  expect(execFileSync('ipcs', ['-q'], { encoding: 'utf8' })).toContain(keyHex);
  const layer = join(kr.root, 'data', 'containers', id);
  expect(hostSnapshot(kr.root).mounts).toContain(join(layer, 'merged')); // overlay2, this kernel's default
  child.kill('SIGKILL');
  await exited;
  expect(kit(['run', 'base', 'true'], kr.env).status).toBe(0);
  expect(execFileSync('ipcs', ['-q'], { encoding: 'utf8' })).not.toContain(keyHex);
  expect(existsSync(join(dir, id))).toBe(false);
  expect(existsSync(layer)).toBe(false);
});

test('chroot: the classic escape reaches the host\'s /', () => {
  const r = kitJson<ChapterJson>(['chapter', 'chroot'], kr.env);
  expect(r.trace.some((e) => e.side === 'container' && e.syscall === 'chroot' && e.args[0] === '"kit-escape"' && e.ret === 0)).toBe(true);
  expect(r.trace.filter((e) => e.side === 'container' && e.syscall === 'chdir' && e.args[0] === '".."').length).toBeGreaterThan(2);
  expect(r.container.stdout).toContain('ESCAPED');
  expect(r.container.stdout).toContain(`hostname file: ${readFileSync('/etc/hostname', 'utf8').trim()}`);
  expect(r.container.stdout.split('\n')).toEqual(expect.arrayContaining(readdirSync('/').filter((d) => d === 'work' || d === 'boot' || d === 'usr')));
});

test('rootfs: after pivot_root the same escape stays inside the image', () => {
  const r = kitJson<ChapterJson>(['chapter', 'rootfs'], kr.env);
  const inside = r.trace.filter((e) => e.side === 'container');
  expect(inside.find((e) => e.syscall === 'pivot_root')).toMatchObject({ ret: 0 });
  expect(inside.some((e) => e.syscall === 'chroot' && e.args[0] === '"kit-escape"' && e.ret === 0)).toBe(true);
  expect(inside.filter((e) => e.syscall === 'chdir' && e.args[0] === '".."')).toHaveLength(0);
  expect(r.container.stdout).toContain('still inside the image');
  expect(r.container.stdout).toContain('hostname file: kit');
});

test('image config: -e, -w and the image\'s Cmd apply as in Docker; exit code is the container\'s', () => {
  const r = kit(['run', '-e', 'GREETING=hi', '-w', '/srv/app', 'base', 'sh', '-c', 'echo "$GREETING from $(pwd)"; exit 7'], kr.env);
  expect(r.stdout).toBe('hi from /srv/app\n');
  expect(r.status).toBe(7);
  const env = kit(['run', '-e', 'A=1', '-e', 'KIT_FROM_HOST', 'base', 'env'], { ...kr.env, KIT_FROM_HOST: 'passed' });
  expect(env.stdout.split('\n')).toEqual(expect.arrayContaining(['A=1', 'KIT_FROM_HOST=passed']));
  const cmd = runJson(['base']); // Cmd ["sh"] with no stdin: exits 0
  expect(cmd.trace.find((e) => e.syscall === 'execve' && e.side === 'container' && e.args[0] === '"/bin/sh"')).toBeDefined();
});

test('a command missing from the image fails at execve with ENOENT and the image hint, exit 127', () => {
  const r = kit(['run', 'base', 'no-such-command'], kr.env);
  expect(r.status).toBe(127);
  expect(r.stderr).toMatch(/execve\("no-such-command".*= -1 ENOENT/);
  expect(r.stderr).toContain("no such file in the image's rootfs");
});

test('a command behind an absolute symlink is found inside the image, not on the host', () => {
  // An image like alpine's: /usr/local/bin/hello -> /opt/kit-only/hello, a path the host does not have.
  expect(kit(['image', 'ls'], kr.env).status).toBe(0);
  const hex = 'ab'.repeat(32);
  const layer = join(kr.root, 'data', 'layers', hex, 'diff');
  cpSync(baseLayer(kr.root), layer, { recursive: true, verbatimSymlinks: true });
  mkdirSync(join(layer, 'opt', 'kit-only'), { recursive: true });
  writeFileSync(join(layer, 'opt', 'kit-only', 'hello'), '#!/bin/sh\necho hello from the image\n', { mode: 0o755 });
  mkdirSync(join(layer, 'usr', 'local', 'bin'), { recursive: true });
  symlinkSync('/opt/kit-only/hello', join(layer, 'usr', 'local', 'bin', 'hello'));
  const image = { name: 'linked', layers: [`sha256:${hex}`], config: { Env: ['PATH=/usr/local/bin:/bin'] }, created: new Date().toISOString(), history: [] };
  writeFileSync(join(kr.root, 'data', 'images', 'linked.json'), JSON.stringify(image));
  try {
    expect(existsSync('/opt/kit-only')).toBe(false);
    const r = kit(['run', 'linked', 'hello'], kr.env);
    expect(r.stdout).toBe('hello from the image\n');
    expect(r.status).toBe(0);
  } finally {
    rmSync(join(kr.root, 'data', 'images', 'linked.json'));
    rmSync(join(kr.root, 'data', 'layers', hex), { recursive: true });
  }
});

test('a missing image is one line listing the available images, exit 125 as Docker', () => {
  const r = kit(['run', 'no-such-image', 'ls'], kr.env);
  expect(r.status).toBe(125);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toContain("no image 'no-such-image'");
  expect(r.stderr).toContain('available images: base');
});

test('two kit processes building base at once both succeed and leave one layer and one image', async () => {
  const fresh = tempKitRoot();
  try {
    const runs = [0, 1].map(() => {
      const child = kitBackground(['image', 'ls', '--json'], fresh.env);
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      return new Promise<{ code: number | null; out: string }>((resolve) => child.on('exit', (code) => resolve({ code, out })));
    });
    const results = await Promise.all(runs);
    for (const r of results) {
      expect(r.code).toBe(0);
      expect((JSON.parse(r.out) as Array<{ name: string }>).map((i) => i.name)).toEqual(['base']);
    }
    expect(readdirSync(join(fresh.root, 'data', 'layers'))).toHaveLength(1); // no temp dirs left
    expect(readdirSync(join(fresh.root, 'data', 'images'))).toEqual(['base.json']);
    expect(kit(['run', 'base', 'true'], fresh.env).status).toBe(0);
  } finally {
    fresh.cleanup();
  }
});

test('without busybox, base is made of host programs and their ldd libraries, and runs', () => {
  const fresh = tempKitRoot();
  try {
    const env = { ...fresh.env, KIT_BUSYBOX: '/nonexistent/busybox' };
    const r = kit(['run', 'base', 'sh', '-c', 'echo from-host-sh; ls /bin'], env);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('no busybox at /nonexistent/busybox');
    expect(r.stdout).toContain('from-host-sh');
    expect(r.stdout.split('\n')).toEqual(expect.arrayContaining(['sh', 'ls', 'cat', 'ipcs']));
    expect(readdirSync(baseLayer(fresh.root))).toEqual(expect.arrayContaining(['lib64', 'bin', 'etc']));
  } finally {
    fresh.cleanup();
  }
});

/** `kit run --json ...`: kit's flags go before the image. */
function runJson(args: string[]): RunJson {
  const r = kit(['run', '--json', ...args], kr.env);
  return JSON.parse(r.stdout) as RunJson;
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

test('an fd kit inherited from whatever started it (here the host\'s / as fd 200) does not reach the container', () => {
  const hostRoot = openSync('/', 'r');
  try {
    // A high number, as a shell or CI runner leaves them (Node reuses low ones itself).
    const stdio: StdioOptions = ['ignore', 'pipe', 'pipe', ...Array<'ignore'>(197).fill('ignore'), hostRoot];
    const r = spawnSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'run.js'), 'run', 'base', 'ls', '/proc/self/fd'], { env: kr.env, encoding: 'utf8', stdio });
    expect(r.status).toBe(0);
    // 0-2 are stdio, 3 is ls's own listing of the directory
    expect(r.stdout.trim().split('\n').map(Number).sort((a, b) => a - b)).toEqual([0, 1, 2, 3]);
  } finally {
    closeSync(hostRoot);
  }
});

test('the container does not inherit the signals Node ignores (SIGPIPE, SIGXFSZ)', () => {
  const status = runJson(['base', 'grep', 'SigIgn', '/proc/self/status']).stdout;
  const ignored = BigInt('0x' + status.split(/\s+/)[1]);
  const bit = (sig: number) => (ignored >> BigInt(sig - 1)) & 1n;
  expect([bit(13), bit(25)]).toEqual([0n, 0n]);
});
