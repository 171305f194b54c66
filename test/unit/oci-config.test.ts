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
  expect(errorOf(() => bundleSpec(dir))).toBe('process.rlimits[0]: RLIMIT_NOFILE cannot be applied: kit-runtime does not set rlimits yet');
  delete config.process.rlimits;
  write();
  expect(errorOf(() => bundleSpec(dir))).toBe('root.readonly: a read-only root is not supported by kit-runtime yet');
  config.root.readonly = false;
  write();
  expect(errorOf(() => bundleSpec(dir))).toBe('process.terminal: a terminal needs --console-socket, which kit-runtime does not support yet');
  config.process.terminal = false;
  write();
  expect(errorOf(() => bundleSpec(dir))).toBe('mounts[4]: type "mqueue" is not mounted by kit-runtime yet');
  config.mounts = config.mounts.filter((m: { type: string }) => m.type !== 'mqueue' && m.type !== 'cgroup');
  write();
  const spec = bundleSpec(dir);
  expect(spec.command).toEqual(['sh']);
  expect(spec.hostname).toBe('runc');
  expect(spec.namespaces.sort()).toEqual(config.linux.namespaces.map((n: { type: string }) => (n.type === 'network' ? 'net' : n.type)).sort());
  // runc's default keeps 3 capabilities: kit drops the rest of Docker's 14.
  expect(spec.security?.capAdd).toEqual([]);
  expect(spec.security?.capDrop).toEqual(DOCKER_DEFAULT_CAPS.filter((c) => !['AUDIT_WRITE', 'KILL', 'NET_BIND_SERVICE'].includes(c)));
  expect(spec.resources).toEqual({});
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
  expect(spec.resources).toEqual({ cpuQuota: 50000, cpuPeriod: 100000, memory: 64 * 1024 * 1024, pidsLimit: 20 });
  expect(spec.security?.unmaskedPaths).toBe(true);
  const seccomp = spec.security?.seccomp;
  expect(seccomp !== 'unconfined' && seccomp?.profile.rules[0]).toMatchObject({ names: ['mkdir'], action: { kind: 'errno', data: 13 } });
});

describe('every invalid or unsupported field is one line naming it', () => {
  const cases: Array<[string, (c: Record<string, any>) => void, string]> = [
    ['a bind mount', (c) => c.mounts.push({ destination: '/data', type: 'bind', source: '/etc' }), 'mounts[5]: type "bind" is not supported by kit-runtime yet'],
    ['a tmpfs somewhere kit does not make one', (c) => c.mounts.push({ destination: '/tmp', type: 'tmpfs' }), 'mounts[5]: tmpfs at /tmp is not supported by kit-runtime yet'],
    ['joining a namespace by path', (c) => (c.linux.namespaces[1] = { type: 'network', path: '/run/netns/x' }), 'linux.namespaces[1].path: joining an existing network namespace is not supported by kit-runtime yet'],
    ['a user namespace', (c) => c.linux.namespaces.push({ type: 'user' }), 'linux.namespaces[6].type: "user" namespaces are not supported by kit-runtime yet'],
    ['no mount namespace', (c) => (c.linux.namespaces = [{ type: 'pid' }]), 'linux.namespaces: has no "mount" namespace: the root filesystem mounts would land on the host'],
    ['an unknown namespace type', (c) => c.linux.namespaces.push({ type: 'bogus' }), "linux.namespaces[6].type: Invalid enum value. Expected 'pid' | 'network' | 'mount' | 'ipc' | 'uts' | 'user' | 'cgroup' | 'time', received 'bogus'"],
    ['a field kit does not know', (c) => (c.hooks = { prestart: [] }), 'config.json: hooks is not supported by kit-runtime yet'],
    ['an unknown field deep inside', (c) => (c.linux.sysctl = { 'net.ipv4.ip_forward': '1' }), 'config.json: linux.sysctl is not supported by kit-runtime yet'],
    ['args missing', (c) => delete c.process.args, 'config.json: process.args is missing'],
    ['args of the wrong type', (c) => (c.process.args = 'sh'), 'config.json: process.args: Expected array, received string'],
    ['a relative cwd', (c) => (c.process.cwd = 'tmp'), 'config.json: process.cwd: must be an absolute path inside the container'],
    ['a non-root user', (c) => (c.process.user = { uid: 1000, gid: 1000 }), 'process.user: uid 1000 gid 1000: kit-runtime runs the process as root (0:0) only yet'],
    ['a capability that does not exist', (c) => c.process.capabilities.bounding.push('CAP_FLY'), 'process.capabilities.bounding[14]: "CAP_FLY" is not a capability'],
    ['effective unlike bounding', (c) => c.process.capabilities.effective.pop(), 'process.capabilities.effective: differs from bounding: kit-runtime gives the process one capability set yet'],
    ['a path kit does not mask', (c) => c.linux.maskedPaths.push('/etc/shadow'), 'linux.maskedPaths[11]: /etc/shadow is not one of the paths kit-runtime knows how to protect yet'],
    ['a device rule', (c) => (c.linux.resources = { devices: [{ allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' }] }), "linux.resources.devices[0]: device rules are not read by kit-runtime yet (it applies Docker's default device rules)"],
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
    expect(errorOf(() => readBundle(bundle(config)))).toMatch(/^root\.path: "\/" is outside the bundle /);
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
