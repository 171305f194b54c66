import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { alive, hostSnapshot, kit, requireRoot, tempKitRoot } from '../support/kit';
import { ociHarness, RUNTIME, until } from '../support/oci-bundle';

/** kit as an OCI runtime (first step): a bundle made by hand, run with kit-runtime as with `runc run`. */
requireRoot();
const kr = tempKitRoot();
const before = hostSnapshot(kr.root);
afterEach(() => expect(hostSnapshot(kr.root)).toEqual(before));
const { makeBundle, runtime, create, state, deleteAll } = ociHarness(kr);
afterAll(() => {
  deleteAll();
  kr.cleanup();
});

test('kit runtime path prints the kit-runtime executable', () => {
  const r = kit(['runtime', 'path'], kr.env);
  expect(r.status).toBe(0);
  expect(r.stdout.trim()).toBe(RUNTIME);
  expect(existsSync(r.stdout.trim())).toBe(true);
});

test("run --bundle: the container's output, its exit code (7) as kit-runtime's, the hostname from config.json", () => {
  const bundle = makeBundle('b-exit', (c) => {
    c.process.args = ['sh', '-c', 'echo "hello from $(hostname) pid $$"; exit 7'];
    c.hostname = 'oci-box';
  });
  const r = runtime(['run', '--bundle', bundle, 'kit-oci-exit']);
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe('hello from oci-box pid 1\n');
  expect(r.status).toBe(7);
  // the state the run made is gone; the bundle is the caller's and stays
  expect(readdirSync(join(kr.root, 'run', 'containers'))).toEqual([]);
  expect(existsSync(join(bundle, 'rootfs', 'bin', 'busybox'))).toBe(true);
});

test('an unsupported mount type is one line naming the field, exit 1, logged as JSON with --log, nothing left', () => {
  const bundle = makeBundle('b-nfs', (c) => c.mounts.push({ destination: '/data', type: 'nfs', source: 'server:/export' }));
  const log = join(kr.root, 'runtime.log');
  const r = runtime(['--log', log, '--log-format', 'json', 'run', '--bundle', bundle, 'kit-oci-nfs']);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^kit-runtime: mounts\[5\]: nfs at \/data is not supported by kit-runtime yet; /)]);
  expect(r.status).toBe(1);
  const entries = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(entries).toEqual([expect.objectContaining({ level: 'error', msg: expect.stringContaining('mounts[5]: nfs at /data') })]);
  expect(existsSync(join(bundle, 'rootfs', 'data'))).toBe(false);
});

test('the verbs not implemented yet say so in one line and exit 1; --version answers', () => {
  for (const verb of ['checkpoint', 'restore']) {
    const r = runtime([verb, 'x']);
    expect(r.stderr).toBe(`kit-runtime: "${verb}" is not implemented by kit-runtime yet; see \`kit-runtime --help\` for what is\n`);
    expect(r.status).toBe(1);
  }
  const v = runtime(['--version']);
  expect(v.status).toBe(0);
  expect(v.stdout).toMatch(/^kit-runtime version \d+\.\d+\.\d+\nspec: 1\.0\.2\n$/);
});

describe('create / start / state / kill / delete, as runc does them', () => {
  const ociDir = () => join(kr.root, 'run', 'oci');
  const containers = () => (existsSync(ociDir()) ? readdirSync(ociDir()) : []);
  afterEach(() => expect(containers()).toEqual([]));

  test('create leaves init waiting (pid file, no newline), start runs the command, kill stops it, delete removes it', async () => {
    const bundle = makeBundle('b-life', (c) => (c.process.args = ['sh', '-c', 'echo started as pid $$; exec sleep 60']));
    const pidFile = join(kr.root, 'life.pid');
    const c = create(bundle, 'kit-oci-life', ['--pid-file', pidFile]);
    expect(c.output()).toBe('');
    expect(c.status).toBe(0);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(readFileSync(pidFile, 'utf8')).toBe(String(pid));
    expect(alive(pid)).toBe(true);
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toMatch(/^kit-init/); // waiting before its execve
    expect(state('kit-oci-life')).toEqual(expect.objectContaining({ ociVersion: '1.0.2', id: 'kit-oci-life', status: 'created', pid, bundle: realpathSync(bundle) }));
    expect(runtime(['list']).stdout).toMatch(new RegExp(`^kit-oci-life\\s+${pid}\\s+created\\s`, 'm'));

    const s = runtime(['start', 'kit-oci-life']);
    expect(s.stderr).toBe('');
    expect(s.status).toBe(0);
    expect(await until(() => c.output() === 'started as pid 1\n')).toBe(true);
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toBe('sleep\u000060\u0000');
    expect(state('kit-oci-life').status).toBe('running');
    const again = runtime(['start', 'kit-oci-life']);
    expect(again.stderr).toBe('kit-runtime: cannot start container "kit-oci-life": it is running; start needs a container that is created\n');
    expect(again.status).toBe(1);

    const refused = runtime(['delete', 'kit-oci-life']);
    expect(refused.stderr).toMatch(/^kit-runtime: cannot delete container "kit-oci-life" that is not stopped: running; /);
    expect(refused.status).toBe(1);

    expect(runtime(['kill', 'kit-oci-life', 'SIGKILL']).status).toBe(0);
    expect(await until(() => state('kit-oci-life').status === 'stopped')).toBe(true);
    expect(state('kit-oci-life').pid).toBe(0);
    const d = runtime(['delete', 'kit-oci-life']);
    expect(d.stderr).toBe('');
    expect(d.status).toBe(0);
    expect(runtime(['state', 'kit-oci-life']).stderr).toMatch(/^kit-runtime: container "kit-oci-life" does not exist; /);
    // the trace outlives the container: every step, the wait at exec.fifo, the execve start released
    const trace = readFileSync(join(kr.root, 'run', 'oci-traces', 'kit-oci-life.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => !e.verb);
    expect(trace.map((e) => e.syscall)).toEqual(expect.arrayContaining(['clone', 'mknod', 'pivot_root', 'open', 'execve', 'kill']));
    expect(trace.find((e) => e.syscall === 'execve' && e.side === 'container' && e.args[0] === '"/bin/sh"')).toEqual(expect.objectContaining({ ret: 0, errno: null }));
    // kit runtime trace renders it verb by verb, as a chapter's trace
    const shown = kit(['runtime', 'trace', '--root', kr.root, '--width', '200', 'kit-oci-life'], kr.env);
    expect(shown.status).toBe(0);
    expect(shown.stdout.split('\n').filter((l) => l.startsWith('kit-runtime ')).map((l) => l.split(':')[0])).toEqual(['kit-runtime create', 'kit-runtime start', 'kit-runtime kill']);
    expect(shown.stdout).toMatch(/^\[ctr \] open\("\/proc\/self\/fd\/\d+", O_WRONLY\|O_CLOEXEC\) = \d+$/m);
    expect(shown.stdout).toMatch(/^\[ctr \] execve\("\/bin\/sh", .* = 0$/m);
  });

  test('delete --force kills a created container (its init never ran the command)', async () => {
    const bundle = makeBundle('b-force', (c) => (c.process.args = ['sh', '-c', 'echo never']));
    const pidFile = join(kr.root, 'force.pid');
    const c = create(bundle, 'kit-oci-force', ['--pid-file', pidFile]);
    expect(c.status).toBe(0);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    const d = runtime(['delete', '--force', 'kit-oci-force']);
    expect(d.stderr).toBe('');
    expect(d.status).toBe(0);
    expect(await until(() => !alive(pid))).toBe(true);
    expect(c.output()).toBe('');
  });

  test('linux.resources and linux.sysctl of a hand-written bundle: blkio weight and oom_control in its cgroups, sysctls inside, a device it allows opens, /sys/fs/cgroup shows its own cgroups', async () => {
    const cgroupsPath = `/kit-oci-res-${process.pid}/c`;
    const bundle = makeBundle('b-res', (c) => {
      const cgroupView = 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/blkio/blkio.bfq.weight 2>/dev/null || cat /sys/fs/cgroup/blkio/blkio.weight; grep -c "^[0-9]*:memory:/$" /proc/self/cgroup; echo 1 2>/dev/null > /sys/fs/cgroup/memory/memory.limit_in_bytes || echo read-only';
      c.process.args = ['sh', '-c', `cat /proc/sys/kernel/msgmax /proc/sys/net/ipv4/ip_default_ttl; mknod /dev/tun c 10 200 && exec 3<>/dev/tun && echo tun ok; ${cgroupView}; exec sleep 60`];
      // runc's cgroup mount: with a cgroup namespace, /sys/fs/cgroup shows the container's own cgroups (v1: one read-only bind per hierarchy)
      c.mounts.push({ destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['ro', 'nosuid', 'noexec', 'nodev'] });
      c.linux.cgroupsPath = cgroupsPath;
      c.linux.sysctl = { 'kernel.msgmax': '4242', 'net.ipv4.ip_default_ttl': '42' };
      // /dev/net/tun (c 10:200) is no default device: the config's allow opens it (oci-docker.test.ts sees it refused without)
      c.linux.resources = { blockIO: { weight: 300 }, memory: { limit: 64 * 1024 * 1024, disableOOMKiller: true }, devices: [{ allow: false, access: 'rwm' }, { allow: true, type: 'c', major: 10, minor: 200, access: 'rw' }] };
    });
    const hostMsgmax = readFileSync('/proc/sys/kernel/msgmax', 'utf8');
    const c = create(bundle, 'kit-oci-res');
    try {
      expect(c.output()).toBe('');
      expect(c.status).toBe(0);
      const weightFile = ['blkio.bfq.weight', 'blkio.weight'].map((f) => join('/sys/fs/cgroup/blkio', cgroupsPath, f)).find((f) => existsSync(f));
      expect(readFileSync(weightFile as string, 'utf8').trim()).toMatch(/^(default )?300$/);
      expect(readFileSync(join('/sys/fs/cgroup/memory', cgroupsPath, 'memory.oom_control'), 'utf8')).toMatch(/^oom_kill_disable 1$/m);
      expect(runtime(['start', 'kit-oci-res']).status).toBe(0);
      expect(await until(() => c.output().includes('read-only'))).toBe(true);
      expect(c.output()).toMatch(/^4242\n42\ntun ok\n67108864\n(default )?300\n1\nread-only\n$/);
      expect(readFileSync('/proc/sys/kernel/msgmax', 'utf8')).toBe(hostMsgmax);
    } finally {
      runtime(['delete', '--force', 'kit-oci-res']);
      // the cgroupsPath's parent is the caller's: kit never removes it
      for (const hierarchy of readdirSync('/sys/fs/cgroup')) spawnSync('rmdir', [join('/sys/fs/cgroup', hierarchy, `kit-oci-res-${process.pid}`)]);
    }
    for (const hierarchy of readdirSync('/sys/fs/cgroup')) expect(existsSync(join('/sys/fs/cgroup', hierarchy, cgroupsPath))).toBe(false);
  });

  test('user and time namespaces from config.json, and a relative cgroupsPath (run, create): mapped ids, shifted clocks, a cgroup below our own', async () => {
    const rel = `kit-oci-rel-${process.pid}`;
    const bundle = makeBundle('b-userns', (c) => {
      c.process.args = ['sh', '-c', 'cat /proc/self/uid_map /proc/self/gid_map /proc/uptime /proc/self/cgroup'];
      // no cgroup namespace here, so /proc/self/cgroup shows where the relative path put it
      c.linux.namespaces = c.linux.namespaces.filter((n: { type: string }) => n.type !== 'cgroup').concat({ type: 'user' }, { type: 'time' });
      c.linux.uidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
      c.linux.gidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
      c.linux.timeOffsets = { boottime: { secs: 400 * 86400 }, monotonic: { secs: 400 * 86400 } };
      c.linux.cgroupsPath = `${rel}/c`;
      c.linux.resources = { pids: { limit: 50 } };
    });
    // the rootfs belongs to the container's root, which must reach it through the bundle's parents, as runc wants it
    spawnSync('chown', ['-R', '100000:100000', join(bundle, 'rootfs')]);
    chmodSync(kr.root, 0o711);
    const ownIn = (hierarchy: string) => readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((l) => l.split(':')[1]?.split(',').includes(hierarchy))?.split(':')[2] ?? '/';
    try {
      const r = runtime(['run', '--bundle', bundle, 'kit-oci-userns']);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const lines = r.stdout.split('\n');
      expect(lines[0].trim().split(/\s+/)).toEqual(['0', '100000', '65536']);
      expect(lines[1].trim().split(/\s+/)).toEqual(['0', '100000', '65536']);
      const hostUptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
      expect(Number(lines[2].split(' ')[0]) - hostUptime).toBeGreaterThan(400 * 86400 - 60);
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^\\d+:pids:${posix.join(ownIn('pids'), rel, 'c')}$`)));
      // as podman and Docker drive it: create leaves the init (the host sees uid 100000) waiting on exec.fifo, which it may open
      const c = create(bundle, 'kit-oci-userns', ['--pid-file', join(kr.root, 'userns.pid')]);
      expect(c.output()).toBe('');
      expect(c.status).toBe(0);
      const pid = Number(readFileSync(join(kr.root, 'userns.pid'), 'utf8'));
      expect(readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(/^Uid:\s+100000\s+100000/m);
      expect(runtime(['start', 'kit-oci-userns']).status).toBe(0);
      expect(await until(() => c.output().split('\n').length > 4)).toBe(true);
      expect(c.output().split('\n')[0].trim().split(/\s+/)).toEqual(['0', '100000', '65536']);
    } finally {
      runtime(['delete', '--force', 'kit-oci-userns']);
      chmodSync(kr.root, 0o700);
      for (const hierarchy of readdirSync('/sys/fs/cgroup')) spawnSync('rmdir', [join('/sys/fs/cgroup', hierarchy, ownIn(hierarchy), rel)]);
    }
  });

  test("the command's umask is runc's 0022 whatever the caller's (podman, containerd under 077), process.user.umask when set, in create and in exec --detach", async () => {
    const plain = makeBundle('b-umask', (c) => (c.process.args = ['sh', '-c', 'umask; exec sleep 60']));
    const own = makeBundle('b-umask-own', (c) => {
      c.process.args = ['sh', '-c', 'umask'];
      c.process.user.umask = 0o027;
    });
    const callers = process.umask(0o077); // what create and exec inherit: a hardened host's mask
    try {
      const c = create(plain, 'kit-oci-umask');
      expect(c.status).toBe(0);
      expect(runtime(['start', 'kit-oci-umask']).status).toBe(0);
      expect(await until(() => c.output() === '0022\n')).toBe(true);
      // an exec as conmon makes it: --detach, its output on the fd it was given
      const proc = join(kr.root, 'umask-process.json');
      writeFileSync(proc, JSON.stringify({ ...JSON.parse(readFileSync(join(plain, 'config.json'), 'utf8')).process, args: ['sh', '-c', 'umask'] }));
      const out = join(kr.root, 'umask-exec.out');
      const fd = openSync(out, 'w');
      const e = spawnSync(RUNTIME, ['--root', kr.root, 'exec', '--detach', '--process', proc, 'kit-oci-umask'], { env: kr.env, stdio: ['ignore', fd, fd], timeout: 60_000 });
      closeSync(fd);
      expect(e.status).toBe(0);
      expect(await until(() => readFileSync(out, 'utf8') === '0022\n')).toBe(true);
      const o = create(own, 'kit-oci-umask-own');
      expect(runtime(['start', 'kit-oci-umask-own']).status).toBe(0);
      expect(await until(() => o.output() === '0027\n')).toBe(true);
    } finally {
      process.umask(callers);
      runtime(['delete', '--force', 'kit-oci-umask']);
      await until(() => state('kit-oci-umask-own').status === 'stopped');
      runtime(['delete', '--force', 'kit-oci-umask-own']);
    }
  });

  test('a bad config, an unknown id, a command not in the rootfs: one line each, runc\'s exit codes, nothing left', () => {
    const bad = makeBundle('b-bad', (c) => (c.process.user.uid = -1));
    const b = create(bad, 'kit-oci-bad');
    expect(b.output()).toMatch(/^kit-runtime: config\.json: process\.user\.uid: .*\n$/);
    expect(b.status).toBe(1);
    for (const verb of [['kill', 'kit-oci-nope', 'TERM'], ['start', 'kit-oci-nope'], ['delete', 'kit-oci-nope'], ['state', 'kit-oci-nope']]) {
      const r = runtime(verb);
      expect(r.stderr).toBe('kit-runtime: container "kit-oci-nope" does not exist; `kit-runtime list` shows the containers under this --root\n');
      expect(r.status).toBe(1);
    }
    const missing = makeBundle('b-missing', (c) => (c.process.args = ['no-such-program']));
    const m = create(missing, 'kit-oci-missing');
    expect(m.output()).toMatch(/^kit-runtime: exec: "no-such-program": executable file not found in \$PATH; /);
    expect(m.status).toBe(127);
  });
});

describe('hooks, as runc runs them: host programs with the state on their stdin', () => {
  const create = (bundle: string, id: string) =>
    spawnSync(RUNTIME, ['--root', kr.root, 'create', '--bundle', bundle, '--pid-file', join(kr.root, `${id}.pid`), id], { env: kr.env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 60_000 });
  const hook = (file: string) => ({ path: '/bin/sh', args: ['sh', '-c', `{ cat; echo; echo "$WHO $HOME"; } > ${file}`], env: ['WHO=hook'] });
  const read = (file: string) => {
    const [state, who] = readFileSync(file, 'utf8').split('\n');
    return { state: JSON.parse(state), who: who.trim() };
  };

  test('prestart and createRuntime at create, poststart at start, poststop at delete, each with its status and only its env', () => {
    const dir = join(kr.root, 'hooks');
    mkdirSync(dir);
    const at = (name: string) => join(dir, `${name}.json`);
    const bundle = makeBundle('b-hooks', (c) => {
      c.process.args = ['sh', '-c', 'exit 0'];
      c.hooks = { prestart: [hook(at('prestart'))], createRuntime: [hook(at('createRuntime'))], poststart: [hook(at('poststart'))], poststop: [hook(at('poststop'))] };
    });
    const c = create(bundle, 'kit-oci-hooks');
    expect(c.stderr).toBe('');
    expect(c.status).toBe(0);
    const pid = Number(readFileSync(join(kr.root, 'kit-oci-hooks.pid'), 'utf8'));
    for (const name of ['prestart', 'createRuntime']) {
      expect(read(at(name))).toEqual({ state: expect.objectContaining({ id: 'kit-oci-hooks', status: 'created', pid, bundle: realpathSync(bundle) }), who: 'hook' });
    }
    expect(existsSync(at('poststart'))).toBe(false);
    expect(runtime(['start', 'kit-oci-hooks']).status).toBe(0);
    expect(read(at('poststart')).state).toEqual(expect.objectContaining({ status: 'running', pid }));
    expect(existsSync(at('poststop'))).toBe(false);
    const d = runtime(['delete', '--force', 'kit-oci-hooks']);
    expect(d.stderr).toBe('');
    expect(read(at('poststop')).state).toEqual(expect.objectContaining({ status: 'stopped', pid: 0 }));
  });

  test('a failing createRuntime hook fails create, naming it; the container is gone', () => {
    const bundle = makeBundle('b-hook-fail', (c) => (c.hooks = { createRuntime: [{ path: '/bin/sh', args: ['sh', '-c', 'echo no way >&2; exit 3'] }] }));
    const c = create(bundle, 'kit-oci-hookfail');
    expect(c.stderr).toBe('kit-runtime: hooks.createRuntime[0] (/bin/sh) failed: exit 3: no way; fix the hook, or remove it from config.json\n');
    expect(c.status).toBe(1);
    expect(runtime(['list', '--quiet']).stdout).toBe('');
  });
});

test("config.json's nosuid, nodev and noexec are applied as runc applies them (a bind remounted with them), and a tmpfs's size= and mode=; another tmpfs option is refused by name", () => {
  const data = join(kr.root, 'oci-flags-src');
  mkdirSync(data, { recursive: true });
  const bundle = makeBundle('b-flags', (c) => {
    c.process.args = ['sh', '-c', 'grep -E " /(data|scratch) " /proc/mounts'];
    c.mounts.push({ destination: '/data', type: 'bind', source: data, options: ['rbind', 'rprivate', 'nosuid', 'nodev', 'noexec'] });
    c.mounts.push({ destination: '/scratch', type: 'tmpfs', source: 'tmpfs', options: ['rw', 'noexec', 'nosuid', 'size=65536k', 'mode=700'] });
  }, ['sh', 'grep']);
  const r = runtime(['run', '--bundle', bundle, 'kit-oci-flags']);
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/^\S+ \/data \S+ rw,nosuid,nodev,noexec,/m);
  expect(r.stdout).toMatch(/^tmpfs \/scratch tmpfs rw,nosuid,nodev,noexec,relatime,size=65536k,mode=700 /m);
  const odd = makeBundle('b-tmpfs-odd', (c) => c.mounts.push({ destination: '/scratch', type: 'tmpfs', source: 'tmpfs', options: ['huge=always'] }));
  const refused = runtime(['run', '--bundle', odd, 'kit-oci-odd']);
  expect(refused.status).toBe(1);
  expect(refused.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^kit-runtime: mounts\[5\]\.options: "huge=always" is not supported by kit-runtime for a tmpfs; /)]);
});
