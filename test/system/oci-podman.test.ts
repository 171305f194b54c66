import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, copyFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { alive, requireRoot, tempKitRoot } from '../support/kit';
import { RUNTIME } from '../support/oci-bundle';

/**
 * podman drives kit-runtime for real: conmon runs `kit-runtime create`,
 * podman `start`, `state`, `kill`, `exec --detach`, `delete`. podman is set
 * up as this sandbox needs it (cgroupfs manager, file events logger, ulimits
 * within the hard limits, vfs storage), with a private storage root, a
 * private kit-runtime --root (through a wrapper script: podman passes a
 * custom runtime no --root) and a cgroup parent of its own, all removed
 * afterwards. The image is a busybox root filesystem imported from a tarball.
 */
requireRoot();
const kr = tempKitRoot();
const runtimeRoot = join(kr.root, 'kit-runtime');
const wrapper = join(kr.root, 'kit-runtime-wrapper');
const cgroupParent = `kit-podman-test-${process.pid}`;
const libpodExisted = existsSync('/sys/fs/cgroup/pids/libpod_parent') || existsSync('/sys/fs/cgroup/libpod_parent');
const conf = join(kr.root, 'containers.conf');
const env = { ...kr.env, CONTAINERS_CONF: conf };
const base = ['--root', join(kr.root, 'storage'), '--runroot', join(kr.root, 'podman-run'), '--storage-driver', 'vfs', '--runtime', wrapper, '--cgroup-manager', 'cgroupfs', '--events-backend', 'file'];
const IMAGE = 'localhost/kit-podman-busybox';

function podman(args: string[], timeout = 60_000) {
  return spawnSync('podman', [...base, ...args], { encoding: 'utf8', env, timeout });
}

/**
 * podman run with this test's cgroup parent and no network (podman's own
 * bridge would stay on the host). Podman 4.3 (Debian's) has a known race at
 * load (containers/podman#18860, seen with runc too): `run --rm` may read the
 * exit code before its cleanup process stored it, and says "no such exit code
 * (container in state running)". Only that message, podman's own, is retried.
 */
function run(args: string[]) {
  const once = () => podman(['run', '--cgroup-parent', `/${cgroupParent}`, '--network', 'none', ...args]);
  const first = once();
  if (!/no such exit code \(container in state running\)/.test(first.stderr)) return first;
  const cidfile = args[args.indexOf('--cidfile') + 1];
  if (args.includes('--cidfile')) rmSync(cidfile, { force: true }); // podman refuses a cidfile that exists
  return once();
}

function runtime(args: string[]) {
  return spawnSync(RUNTIME, ['--root', runtimeRoot, ...args], { encoding: 'utf8', env: kr.env });
}

beforeAll(() => {
  const rootfs = join(kr.root, 'rootfs');
  mkdirSync(join(rootfs, 'bin'), { recursive: true });
  copyFileSync('/bin/busybox', join(rootfs, 'bin', 'busybox'));
  for (const applet of ['sh', 'echo', 'id', 'sleep', 'cat', 'ps', 'pwd', 'true']) symlinkSync('busybox', join(rootfs, 'bin', applet));
  spawnSync('tar', ['-C', rootfs, '-cf', join(kr.root, 'busybox.tar'), '.']);
  writeFileSync(conf, ['[containers]', 'default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]', '[engine]', 'cgroup_manager = "cgroupfs"', 'events_logger = "file"', ''].join('\n'));
  writeFileSync(wrapper, `#!/bin/sh\nexec ${JSON.stringify(RUNTIME)} --root ${JSON.stringify(runtimeRoot)} "$@"\n`);
  chmodSync(wrapper, 0o755);
  const imported = podman(['import', '-q', join(kr.root, 'busybox.tar'), IMAGE]);
  expect(imported.stderr).toBe('');
  expect(imported.status).toBe(0);
}, 120_000);

afterAll(() => {
  podman(['rm', '--all', '--force', '--time', '0']);
  podman(['system', 'reset', '--force']);
  const ours = libpodExisted ? [cgroupParent] : [cgroupParent, 'libpod_parent'];
  for (const hierarchy of ['', ...readdirSync('/sys/fs/cgroup')]) {
    for (const name of ours) {
      const dir = join('/sys/fs/cgroup', hierarchy, name);
      if (existsSync(dir)) spawnSync('find', [dir, '-depth', '-type', 'd', '-exec', 'rmdir', '{}', ';']);
    }
  }
  kr.cleanup();
}, 120_000);

/** Nothing of a container is left: kit-runtime knows none, its state dirs and kit's cgroup dirs for it are gone. */
function expectClean(id: string) {
  expect(runtime(['list', '--quiet']).stdout).toBe('');
  const dir = join(runtimeRoot, 'run', 'oci');
  expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  for (const hierarchy of ['', ...readdirSync('/sys/fs/cgroup')]) {
    expect(existsSync(join('/sys/fs/cgroup', hierarchy, 'kit', id))).toBe(false);
    expect(existsSync(join('/sys/fs/cgroup', hierarchy, cgroupParent, `libpod-${id}`))).toBe(false);
  }
}

const trace = (id: string) => readFileSync(join(runtimeRoot, 'run', 'oci-traces', `${id}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

test('podman run --rm busybox echo hi: the output, exit 0, the host clean, the trace of what podman asked for kept', () => {
  const cidfile = join(kr.root, 'echo.cid');
  const r = run(['--rm', '--cidfile', cidfile, IMAGE, 'echo', 'hi']);
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe('hi\n');
  expect(r.status).toBe(0);
  const id = readFileSync(cidfile, 'utf8').trim();
  expectClean(id);
  const calls = trace(id);
  // podman's config.json turned into kit's calls: the pids limit it sets, its rlimits, exec.fifo, the command
  expect(calls.find((e) => e.syscall === 'write' && /pids\.max/.test(e.args[0]))).toEqual(expect.objectContaining({ args: expect.arrayContaining(['"2048"']), ret: 4 }));
  expect(calls.find((e) => e.syscall === 'setrlimit' && e.args[0] === 'RLIMIT_NOFILE')).toEqual(expect.objectContaining({ ret: 0, args: ['RLIMIT_NOFILE', '{rlim_cur=20000, rlim_max=20000}'] }));
  expect(calls.find((e) => e.syscall === 'execve' && e.side === 'container' && e.args[0] === '"/bin/echo"')).toEqual(expect.objectContaining({ ret: 0 }));
  // podman's three calls: create in Node, start and delete by kit-runtime's native fast path (native-rs/src/runtime)
  expect(calls.filter((e) => e.verb).map((e) => [e.verb, e.by])).toEqual([['create', undefined], ['start', 'native'], ['delete', 'native']]);
}, 120_000);

test('exit codes pass through: 7 from the command, 137 for a container killed with SIGKILL, 127 for a command not in the image', () => {
  const seven = run(['--rm', IMAGE, 'sh', '-c', 'exit 7']);
  expect(seven.stderr).toBe('');
  expect(seven.status).toBe(7);
  const d = run(['-d', '--name', 'kit-podman-kill', IMAGE, 'sleep', '300']);
  expect(d.status).toBe(0);
  expect(podman(['kill', '--signal', 'KILL', 'kit-podman-kill']).status).toBe(0);
  const waited = podman(['wait', 'kit-podman-kill']);
  expect(waited.stdout.trim()).toBe('137');
  expect(podman(['rm', 'kit-podman-kill']).status).toBe(0);
  const missing = run(['--rm', IMAGE, 'no-such-command']);
  expect(missing.stderr).toContain('executable file not found in $PATH');
  expect(missing.status).toBe(127);
  expectClean('none');
}, 180_000);

test('-d, then podman exec (its output and exit code, as another user in another dir), stop and rm: nothing left', () => {
  const d = run(['-d', '--name', 'kit-podman-exec', IMAGE, 'sleep', '300']);
  expect(d.stderr).toBe('');
  expect(d.status).toBe(0);
  const id = d.stdout.trim();
  const pid = Number(podman(['inspect', '--format', '{{.State.Pid}}', 'kit-podman-exec']).stdout.trim());
  expect(alive(pid)).toBe(true);
  expect(runtime(['state', id]).stdout).toContain('"status":"running"');
  const e = podman(['exec', 'kit-podman-exec', 'sh', '-c', 'echo in $(cat /proc/1/cmdline | tr "\\0" " "); exit 3']);
  expect(e.stdout).toBe('in sleep 300\n');
  expect(e.status).toBe(3);
  const u = podman(['exec', '-u', '1000:1000', '-w', '/bin', 'kit-podman-exec', 'sh', '-c', 'id; pwd']);
  expect(u.stdout).toBe('uid=1000 gid=1000\n/bin\n');
  expect(podman(['stop', '--time', '1', 'kit-podman-exec']).status).toBe(0);
  expect(alive(pid)).toBe(false);
  expect(podman(['rm', 'kit-podman-exec']).status).toBe(0);
  expectClean(id);
}, 180_000);

test("the container's cgroup is where podman's cgroupsPath says (cgroupfs manager), with podman's pids limit", () => {
  const cidfile = join(kr.root, 'cgroup.cid');
  const r = run(['--rm', '--cidfile', cidfile, IMAGE, 'sh', '-c', 'grep pids /proc/self/cgroup; cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || true']);
  expect(r.stderr).toBe('');
  const id = readFileSync(cidfile, 'utf8').trim();
  expect(r.stdout.split('\n')[0]).toMatch(new RegExp(`^\\d+:pids:/${cgroupParent}/libpod-${id}$`));
  expect(r.status).toBe(0);
  expectClean(id);
}, 120_000);

test('the user, umask and ulimits podman asks for are the process\'s', () => {
  const r = run(['--rm', '--user', '1000:1000', '--ulimit', 'nofile=1000:1000', '--ulimit', 'nproc=32768:32768', IMAGE, 'sh', '-c', 'id; ulimit -n; umask']);
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/^uid=1000 gid=1000( groups=1000)?\n1000\n0022\n$/); // podman lists the gid as a supplementary group too
  expect(r.status).toBe(0);
}, 120_000);

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

test('-t and -it: the container\'s terminal reaches conmon over the console socket (its pty master, SCM_RIGHTS)', () => {
  const t = run(['--rm', '-t', IMAGE, 'sh', '-c', 'tty']);
  expect(t.stderr).toBe('');
  expect(t.stdout).toBe('/dev/pts/0\r\n');
  expect(t.status).toBe(0);
  // -i too: `script` gives podman a terminal of its own, and types a line into it after a while.
  const cmd = ['podman', ...base, 'run', '--cgroup-parent', `/${cgroupParent}`, '--network', 'none', '--rm', '-it', IMAGE, 'sh', '-c', 'read x; echo got $x'].map(quote).join(' ');
  const it = spawnSync('sh', ['-c', `(sleep 3; echo hello) | script -qec ${quote(cmd)} /dev/null`], { encoding: 'utf8', env, timeout: 60_000 });
  expect(it.stdout).toContain('got hello\r\n');
  expect(it.status).toBe(0);
}, 120_000);
