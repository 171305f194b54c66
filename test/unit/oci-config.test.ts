import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleSpec, defaultOciConfig, ociToSpec, parseOciConfig, readBundle, writeDefaultConfig } from '../../core/oci';
import { DOCKER_DEFAULT_CAPS } from '../../core/security';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kit-oci-unit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function bundle(config: unknown, root = 'rootfs'): string {
  mkdirSync(join(dir, root), { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

/** The error line (message) a call throws. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
}

function runcSpec(): Record<string, any> {
  execFileSync('runc', ['spec', '--bundle', dir]);
  return JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
}

test("kit's default config converts to a spec: busybox sh in the bundle's rootfs, Docker's capabilities, the default namespaces", () => {
  const spec = bundleSpec(bundle(defaultOciConfig()));
  expect(spec.command).toEqual(['sh']);
  expect(spec.rootDir).toBe(join(dir, 'rootfs'));
  expect(spec.image).toBeUndefined();
  expect(spec.namespaces.sort()).toEqual(['cgroup', 'ipc', 'mount', 'net', 'pid', 'uts']);
  expect(spec.hostname).toBe('kit');
  expect(spec.security).toMatchObject({ capAdd: [], capDrop: [], noNewPrivileges: true, seccomp: 'unconfined' });
  expect(spec.security?.unmaskedPaths).toBeUndefined();
});

test('a config made by `runc spec` is refused on what kit cannot apply, one field at a time, and converts once those are removed', () => {
  const config = runcSpec();
  mkdirSync(join(dir, 'rootfs'));
  const write = () => writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  expect(errorOf(() => bundleSpec(dir))).toBe('root.readonly: a read-only root is not supported by kit-runtime yet');
  config.root.readonly = false;
  write();
  const spec = bundleSpec(dir);
  expect(spec.rlimits).toEqual([{ resource: 7, name: 'RLIMIT_NOFILE', soft: 1024, hard: 1024 }]);
  expect(spec.tty).toEqual({ rows: 0, cols: 0 }); // runc spec's terminal: true (kit-runtime create then needs --console-socket)
  expect(spec.mounts?.map((m) => `${m.type} ${m.target}${m.readOnly ? ' ro' : ''}`)).toEqual(['mqueue /dev/mqueue', 'cgroup /sys/fs/cgroup ro']);
  expect(spec.command).toEqual(['sh']);
  expect(spec.hostname).toBe('runc');
  expect(spec.namespaces.sort()).toEqual(config.linux.namespaces.map((n: { type: string }) => (n.type === 'network' ? 'net' : n.type)).sort());
  // runc's default keeps 3 capabilities: kit drops the rest of Docker's 14.
  expect(spec.security?.capAdd).toEqual([]);
  expect(spec.security?.capDrop).toEqual(DOCKER_DEFAULT_CAPS.filter((c) => !['AUDIT_WRITE', 'KILL', 'NET_BIND_SERVICE'].includes(c)));
  expect(spec.resources).toEqual({ updatable: true });
});

test('resources, seccomp (read by core/security\'s Docker-profile parser) and an empty masked-path list convert', () => {
  const config = defaultOciConfig();
  config.linux = {
    ...config.linux,
    maskedPaths: [],
    readonlyPaths: [],
    resources: { cpu: { quota: 50000, period: 100000 }, memory: { limit: 64 * 1024 * 1024 }, pids: { limit: 20 } },
    seccomp: { defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_X86_64'], syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 }] },
  };
  const spec = ociToSpec(parseOciConfig(config), '/r');
  expect(spec.resources).toEqual({ cpuQuota: 50000, cpuPeriod: 100000, memory: 64 * 1024 * 1024, pidsLimit: 20, updatable: true });
  expect(spec.security?.unmaskedPaths).toBe(true);
  const seccomp = spec.security?.seccomp;
  expect(seccomp !== 'unconfined' && seccomp?.profile.rules[0]).toMatchObject({ names: ['mkdir'], action: { kind: 'errno', data: 13 } });
});

test("what podman's config.json asks converts: its user, umask, rlimits, binds, mqueue, joined network namespace, masked paths", () => {
  const config = JSON.parse(JSON.stringify(defaultOciConfig()));
  config.process.user = { uid: 1000, gid: 100, additionalGids: [10, 20], umask: 18 };
  config.process.oomScoreAdj = 0; // Docker's
  config.linux.resources = { cpu: { shares: 0 }, pids: { limit: 2048 } }; // shares 0: the default weight, as Docker sends it
  config.process.rlimits = [{ type: 'RLIMIT_NOFILE', soft: 20000, hard: 20000 }, { type: 'RLIMIT_CORE', soft: 18446744073709551615, hard: 18446744073709551615 }];
  config.mounts.push({ destination: '/etc/hosts', type: 'bind', source: '/etc/hosts', options: ['bind', 'rprivate'] });
  config.mounts.push({ destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] });
  config.mounts.push({ destination: '/data', source: '/srv', options: ['rbind', 'ro'] });
  config.linux.namespaces = [{ type: 'pid' }, { type: 'network', path: '/run/netns/kit-x' }, { type: 'mount' }];
  config.linux.maskedPaths = ['/proc/kcore', '/sys/dev/block'];
  config.linux.readonlyPaths = ['/proc/sys'];
  const spec = ociToSpec(parseOciConfig(config), '/r');
  expect(spec.user).toEqual({ uid: 1000, gid: 100, groups: [10, 20] });
  expect(spec.umask).toBe(18);
  expect(spec.oomScoreAdj).toBe(0);
  expect(spec.resources).toEqual({ pidsLimit: 2048, updatable: true });
  expect(spec.rlimits).toEqual([{ resource: 7, name: 'RLIMIT_NOFILE', soft: 20000, hard: 20000 }, { resource: 4, name: 'RLIMIT_CORE', soft: -1, hard: -1 }]);
  expect(spec.mounts).toEqual([
    { type: 'bind', source: '/etc/hosts', target: '/etc/hosts', readOnly: false, createSource: false },
    { type: 'mqueue', target: '/dev/mqueue', readOnly: false },
    { type: 'bind', source: '/srv', target: '/data', readOnly: true, createSource: false },
  ]);
  expect(spec.namespaces).toEqual(['pid', 'mount']);
  expect(spec.joinNamespaces).toEqual([{ namespace: 'net', path: '/run/netns/kit-x' }]);
  expect(spec.security?.paths).toEqual({ masked: ['/proc/kcore', '/sys/dev/block'], readOnly: ['/proc/sys'] });
});

test('user and time namespaces and a relative cgroupsPath convert: maps as --uidmap takes them, the offsets, the path below our own cgroups', () => {
  const config = JSON.parse(JSON.stringify(defaultOciConfig()));
  config.linux.namespaces.push({ type: 'user' }, { type: 'time' });
  config.linux.uidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
  config.linux.gidMappings = [{ containerID: 0, hostID: 200000, size: 1000 }];
  config.linux.timeOffsets = { boottime: { secs: 86400, nanosecs: 5 } };
  config.linux.cgroupsPath = 'mine/c1';
  const spec = ociToSpec(parseOciConfig(config), '/r');
  expect(spec.namespaces).toContain('user');
  expect(spec.userns).toEqual({ uid: [{ inside: 0, outside: 100000, count: 65536 }], gid: [{ inside: 0, outside: 200000, count: 1000 }] });
  expect(spec.timeOffsets).toEqual({ boottime: { secs: 86400, nanosecs: 5 } });
  expect(spec.resources?.path).toBe('mine/c1');
  const own = readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((l) => l.startsWith('0::'))?.slice(3);
  expect(spec.resources?.below?.['']).toBe(own);
});

test("what Docker's config.json asks converts: its sysctls, its device list (deny all, allows, deny /dev/fuse), blkio weight 0, disableOOMKiller", () => {
  const config = JSON.parse(JSON.stringify(defaultOciConfig()));
  config.linux.sysctl = { 'net.ipv4.ip_unprivileged_port_start': '0', 'net.ipv4.ping_group_range': '0 2147483647' };
  const allow = (major: number, minor: number) => ({ allow: true, type: 'c', major, minor, access: 'rwm' });
  const devices = [{ allow: false, access: 'rwm' }, allow(1, 5), allow(1, 3), allow(10, 200), allow(5, 1), { allow: false, type: 'c', major: 10, minor: 229, access: 'rwm' }];
  config.linux.resources = { devices, memory: { disableOOMKiller: false }, cpu: { shares: 0 }, blockIO: { weight: 0 } };
  const spec = ociToSpec(parseOciConfig(config), '/r');
  expect(spec.sysctls).toEqual(config.linux.sysctl);
  expect(spec.resources).toEqual({ updatable: true });
  // the config's allows in order, then the defaults it did not already grant (as runc appends its allowed devices); fuse stays refused
  const rules = spec.security?.devices?.map((r) => `${r.type} ${r.major ?? '*'}:${r.minor ?? '*'} ${r.access}`);
  expect(rules?.slice(0, 4)).toEqual(['c 1:5 rwm', 'c 1:3 rwm', 'c 10:200 rwm', 'c 5:1 rwm']);
  expect(rules).toContain('c 136:* rwm');
  expect(rules?.filter((r) => r === 'c 1:3 rwm')).toHaveLength(1);
  expect(rules?.some((r) => r.startsWith('c 10:229'))).toBe(false);
  // a deny after an exact allow takes its access away; one of everything empties the list
  config.linux.resources = { devices: [{ allow: false, access: 'rwm' }, allow(10, 200), { allow: false, type: 'c', major: 10, minor: 200, access: 'w' }], memory: { disableOOMKiller: true }, blockIO: { weight: 300 } };
  const more = ociToSpec(parseOciConfig(config), '/r');
  expect(more.security?.devices?.[0]).toMatchObject({ type: 'c', major: 10, minor: 200, access: 'rm' });
  expect(more.resources).toEqual({ oomKillDisable: true, blkioWeight: 300, updatable: true });
});

describe('every invalid or unsupported field is one line naming it', () => {
  const cases: Array<[string, (c: Record<string, any>) => void, string]> = [
    ['a bind mount with a relative source', (c) => c.mounts.push({ destination: '/data', type: 'bind', source: 'etc' }), 'mounts[5].source: "etc" is not an absolute host path'],
    ['a filesystem type kit does not mount', (c) => c.mounts.push({ destination: '/mnt', type: 'nfs', source: 'server:/x' }), 'mounts[5]: nfs at /mnt is not supported by kit-runtime yet'],
    ['a new PID namespace inside a joined user namespace', (c) => c.linux.namespaces.push({ type: 'user', path: '/proc/self/ns/user' }), 'linux.namespaces: joins a user namespace by path and asks for a new "pid" namespace'],
    ['a namespace path that is relative', (c) => (c.linux.namespaces[1] = { type: 'network', path: 'netns/x' }), 'linux.namespaces[1].path: "netns/x" is not an absolute path'],
    ['an rlimit that does not exist', (c) => (c.process.rlimits = [{ type: 'RLIMIT_FUN', soft: 1, hard: 1 }]), 'process.rlimits[0].type: "RLIMIT_FUN" is not a resource limit'],
    ['an rlimit whose soft is above its hard', (c) => (c.process.rlimits = [{ type: 'RLIMIT_NOFILE', soft: 20, hard: 10 }]), 'process.rlimits[0]: soft 20 is above hard 10'],
    ['a user namespace without mappings', (c) => c.linux.namespaces.push({ type: 'user' }), 'linux.uidMappings: is empty, but the config asks for a user namespace: nobody inside would be mapped'],
    ['mappings without a user namespace', (c) => (c.linux.uidMappings = [{ containerID: 0, hostID: 100000, size: 1 }]), 'linux.uidMappings: is set, but there is no "user" namespace to map'],
    ['overlapping mappings', (c) => { c.linux.namespaces.push({ type: 'user' }); c.linux.uidMappings = [{ containerID: 0, hostID: 1000, size: 10 }, { containerID: 5, hostID: 5000, size: 10 }]; c.linux.gidMappings = [{ containerID: 0, hostID: 1000, size: 1 }]; }, 'linux.uidMappings'],
    ['time offsets without a time namespace', (c) => (c.linux.timeOffsets = { boottime: { secs: 1 } }), 'linux.timeOffsets: is set, but there is no new "time" namespace to apply it to'],
    ['joining a time namespace by path with offsets too', (c) => { c.linux.namespaces.push({ type: 'time', path: '/proc/1/ns/time' }); c.linux.timeOffsets = { boottime: { secs: 1 } }; }, 'linux.timeOffsets: is set, but the time namespace is joined by path'],
    ['a cgroupsPath climbing out', (c) => (c.linux.cgroupsPath = 'a/../../b'), 'linux.cgroupsPath: "a/../../b" climbs out with ".."'],
    ['no mount namespace', (c) => (c.linux.namespaces = [{ type: 'pid' }]), 'linux.namespaces: has no "mount" namespace, new or joined: the root filesystem mounts would land on the host'],
    ['an unknown namespace type', (c) => c.linux.namespaces.push({ type: 'bogus' }), "linux.namespaces[6].type: Invalid enum value. Expected 'pid' | 'network' | 'mount' | 'ipc' | 'uts' | 'user' | 'cgroup' | 'time', received 'bogus'"],
    ['a field kit does not know', (c) => (c.linux.intelRdt = {}), 'config.json: linux.intelRdt is not supported by kit-runtime yet'],
    ['a hook that runs inside the container', (c) => (c.hooks = { startContainer: [{ path: '/bin/true' }] }), 'hooks.startContainer: hooks that run inside the container are not supported by kit-runtime yet'],
    ['a hook with a relative path', (c) => (c.hooks = { prestart: [{ path: 'hook.sh' }] }), 'config.json: hooks.prestart[0].path: must be an absolute path on the host'],
    ['an unknown field deep inside', (c) => (c.linux.resources = { blockIO: { weight: 100, weightDevice: [{ major: 7, minor: 0, weight: 200, extra: 1 }] } }), 'config.json: linux.resources.blockIO.weightDevice[0].extra is not supported by kit-runtime yet'],
    ['a CFQ leaf weight', (c) => (c.linux.resources = { blockIO: { leafWeight: 100 } }), "linux.resources.blockIO.leafWeight: leaf weights were CFQ's"],
    ['a sysctl that is host-wide', (c) => (c.linux.sysctl = { 'kernel.panic': '1' }), 'sysctl kernel.panic is not in a separate kernel namespace: writing it from the container would change the host'],
    ['a net sysctl without a network namespace', (c) => { c.linux.sysctl = { 'net.ipv4.ip_forward': '1' }; c.linux.namespaces = c.linux.namespaces.filter((n: { type: string }) => n.type !== 'network'); }, "sysctl net.ipv4.ip_forward is not allowed in the host's network namespace"],
    ['an IPC sysctl without an IPC namespace', (c) => { c.linux.sysctl = { 'kernel.shmmax': '1' }; c.linux.namespaces = c.linux.namespaces.filter((n: { type: string }) => n.type !== 'ipc'); }, "sysctl kernel.shmmax is not allowed in the host's IPC namespace"],
    ['kernel.hostname as a sysctl', (c) => (c.linux.sysctl = { 'kernel.hostname': 'x' }), 'sysctl kernel.hostname is not allowed: it conflicts with the hostname field'],
    ['a sysctl name climbing out of /proc/sys', (c) => (c.linux.sysctl = { 'net/../../kcore': 'x' }), 'sysctl "net/../../kcore" is not a sysctl name'],
    ['a block I/O weight out of range', (c) => (c.linux.resources = { blockIO: { weight: 5000 } }), 'config.json: linux.resources.blockIO.weight: Number must be less than or equal to 1000'],
    ['args missing', (c) => delete c.process.args, 'config.json: process.args is missing'],
    ['args of the wrong type', (c) => (c.process.args = 'sh'), 'config.json: process.args: Expected array, received string'],
    ['a relative cwd', (c) => (c.process.cwd = 'tmp'), 'config.json: process.cwd: must be an absolute path inside the container'],

    ['a capability that does not exist', (c) => c.process.capabilities.bounding.push('CAP_FLY'), 'process.capabilities.bounding[14]: "CAP_FLY" is not a capability'],
    ['effective unlike bounding', (c) => c.process.capabilities.effective.pop(), 'process.capabilities.effective: differs from bounding: kit-runtime gives the process one capability set yet'],
    ['a relative masked path', (c) => c.linux.maskedPaths.push('etc/shadow'), 'linux.maskedPaths[11]: "etc/shadow" is not an absolute path'],
    ['a device deny inside a wider allow', (c) => (c.linux.resources = { devices: [{ allow: false, access: 'rwm' }, { allow: true, type: 'c', access: 'rwm' }, { allow: false, type: 'c', major: 10, minor: 229, access: 'rwm' }] }), 'linux.resources.devices[2]: denies c 10:229 rwm inside the wider allow c *:* rwm (c *:* rwm (linux.resources.devices[1]))'],
    ['a device rule of an unknown type', (c) => (c.linux.resources = { devices: [{ allow: true, type: 'x', access: 'rwm' }] }), 'linux.resources.devices[0].type: "x" is not a device type'],
    ['a seccomp listener', (c) => (c.linux.seccomp = { defaultAction: 'SCMP_ACT_ALLOW', listenerPath: '/run/x.sock' }), 'linux.seccomp.listenerPath: a seccomp notify listener is not supported by kit-runtime'],
    ['a bad seccomp action', (c) => (c.linux.seccomp = { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_MAYBE' }] }), "seccomp profile linux.seccomp: syscalls[0].action 'SCMP_ACT_MAYBE' is not a seccomp action"],
    ['an old ociVersion', (c) => (c.ociVersion = '0.6.0'), 'config.json: ociVersion: must be a runtime-spec version 1.x.y'],
  ];
  test.each(cases)('%s', (_what, change, line) => {
    const config = JSON.parse(JSON.stringify(defaultOciConfig()));
    change(config);
    const message = errorOf(() => bundleSpec(bundle(config)));
    expect(message).toContain(line);
    expect(message).not.toContain('\n');
  });
});

describe('a hostile bundle changes nothing and is refused', () => {
  test('root.path climbing out with ..', () => {
    const config = { ...defaultOciConfig(), root: { path: '../../etc' } };
    expect(errorOf(() => readBundle(bundle(config)))).toMatch(/^root\.path: "\.\.\/\.\.\/etc" is outside the bundle /);
  });
  test('root.path absolute, elsewhere on the host', () => {
    const config = { ...defaultOciConfig(), root: { path: '/' } };
    expect(errorOf(() => readBundle(bundle(config)))).toBe('root.path: "/" is the host\'s own /');
  });
  test('root.path a symlink out of the bundle', () => {
    const config = { ...defaultOciConfig(), root: { path: 'evil' } };
    const b = bundle(config);
    symlinkSync('/etc', join(b, 'evil'));
    expect(errorOf(() => readBundle(b))).toBe('root.path: "evil" leads outside the bundle (to /etc) through a symlink');
  });
  test('root.path whose parent is a symlink out of the bundle', () => {
    const config = { ...defaultOciConfig(), root: { path: 'up/rootfs' } };
    const b = bundle(config);
    const outside = mkdtempSync(join(tmpdir(), 'kit-oci-outside-'));
    mkdirSync(join(outside, 'rootfs'));
    symlinkSync(outside, join(b, 'up'));
    try {
      expect(errorOf(() => readBundle(b))).toBe(`root.path: "up/rootfs" leads outside the bundle (to ${join(outside, 'rootfs')}) through a symlink`);
    } finally {
      rmSync(outside, { recursive: true });
    }
  });
  test('config.json a symlink to a host file', () => {
    mkdirSync(join(dir, 'rootfs'));
    symlinkSync('/etc/passwd', join(dir, 'config.json'));
    expect(errorOf(() => readBundle(dir))).toBe(`cannot read ${join(dir, 'config.json')}: it is a symlink`);
  });
  test('config.json a FIFO, which would block a reader forever', () => {
    mkdirSync(join(dir, 'rootfs'));
    execFileSync('mkfifo', [join(dir, 'config.json')]);
    expect(errorOf(() => readBundle(dir))).toBe(`${join(dir, 'config.json')} is not a regular file`);
  });
  test('config.json not JSON', () => {
    mkdirSync(join(dir, 'rootfs'));
    writeFileSync(join(dir, 'config.json'), '{"ociVersion": ');
    expect(errorOf(() => readBundle(dir))).toMatch(/^config\.json is not JSON: /);
  });
});

test('kit runtime spec writes the default config once: an existing file or a planted symlink is refused, not overwritten', () => {
  const path = writeDefaultConfig(dir);
  expect(parseOciConfig(JSON.parse(readFileSync(path, 'utf8')))).toEqual(defaultOciConfig());
  expect(errorOf(() => writeDefaultConfig(dir))).toBe(`${path} exists`);
  const other = mkdtempSync(join(tmpdir(), 'kit-oci-unit-'));
  try {
    symlinkSync(join(other, 'victim'), join(other, 'config.json'));
    expect(errorOf(() => writeDefaultConfig(other))).toBe(`${join(other, 'config.json')} exists`);
    expect(() => readFileSync(join(other, 'victim'))).toThrow();
  } finally {
    rmSync(other, { recursive: true });
  }
});
