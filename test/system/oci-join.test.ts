import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { alive, hostSnapshot, requireRoot, tempKitRoot } from '../support/kit';
import { ociHarness, until } from '../support/oci-bundle';

/**
 * Namespaces joined by path (config.json linux.namespaces[].path), every
 * type kit-runtime joins: pid (the container's first process is born in
 * it), mount (the rootfs steps happen in it), user (with its own maps),
 * network, ipc, uts. Each test proves the sharing from outside: the same
 * /proc/PID/ns/* inode, the other's processes or mounts seen.
 */
requireRoot();
const kr = tempKitRoot();
const before = hostSnapshot(kr.root);
const { makeBundle, runtime, create, deleteAll } = ociHarness(kr);
afterEach(() => {
  deleteAll();
  expect(hostSnapshot(kr.root)).toEqual(before);
});
afterAll(() => kr.cleanup());

const ns = (pid: number, type: string) => readlinkSync(`/proc/${pid}/ns/${type}`);
const APPLETS = ['sh', 'sleep', 'cat', 'hostname', 'ps', 'id'];

/** A container kit-runtime created and started, running `sleep 600`; its host pid. */
async function sleeper(name: string, edit: (c: Record<string, any>) => void = () => {}): Promise<number> {
  const bundle = makeBundle(`b-${name}`, (c) => {
    c.process.args = ['sleep', '600'];
    edit(c);
  }, APPLETS);
  const c = create(bundle, name, ['--pid-file', join(kr.root, `${name}.pid`)]);
  expect(c.output()).toBe('');
  expect(c.status).toBe(0);
  expect(runtime(['start', name]).status).toBe(0);
  const pid = Number(readFileSync(join(kr.root, `${name}.pid`), 'utf8'));
  expect(await until(() => readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('sleep'))).toBe(true);
  return pid;
}

test("pid, network, ipc and uts joined from a running container: the same namespaces, its processes in ps, its hostname, not PID 1", async () => {
  const a = await sleeper('kit-oci-join-a', (c) => {
    c.hostname = 'box-a'; // runc spec's namespaces: pid, network, ipc, uts, mount, cgroup
  });
  const bundle = makeBundle('b-join-b', (c) => {
    c.process.args = ['sh', '-c', 'echo "$(hostname) $$"; ps -o pid,args; exec sleep 600'];
    delete c.hostname; // the UTS namespace is a-s: its name stays
    c.linux.namespaces = [{ type: 'mount' }, ...['pid', 'network', 'ipc', 'uts'].map((type) => ({ type, path: `/proc/${a}/ns/${type === 'network' ? 'net' : type}` }))];
  }, APPLETS);
  const b = create(bundle, 'kit-oci-join-b', ['--pid-file', join(kr.root, 'b.pid')]);
  expect(b.output()).toBe('');
  expect(b.status).toBe(0);
  const pid = Number(readFileSync(join(kr.root, 'b.pid'), 'utf8'));
  for (const type of ['pid_for_children', 'net', 'ipc', 'uts']) expect(ns(pid, type)).toBe(ns(a, type === 'pid_for_children' ? 'pid' : type));
  expect(ns(pid, 'pid')).toBe(ns(a, 'pid'));
  expect(ns(pid, 'mnt')).not.toBe(ns(a, 'mnt'));
  // kit's own thread went back to its PID namespace: what kit starts next is on the host's
  expect(readlinkSync('/proc/self/ns/pid_for_children')).toBe(readlinkSync('/proc/self/ns/pid'));
  expect(runtime(['start', 'kit-oci-join-b']).status).toBe(0);
  expect(await until(() => b.output().includes('sleep 600'))).toBe(true);
  const [first, ...ps] = b.output().trim().split('\n');
  expect(first).toMatch(/^box-a (\d+)$/);
  expect(Number(first.split(' ')[1])).toBeGreaterThan(1); // born in a's PID namespace, whose PID 1 is a's sleep
  expect(ps).toContainEqual(expect.stringMatching(/^\s*1 sleep 600$/));
  // the host sees b's pid in both namespaces (NSpid: host, then a's)
  expect(readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(new RegExp(`^NSpid:\\s+${pid}\\s+${first.split(' ')[1]}$`, 'm'));
  // a's mount namespace pivoted into a's root: a bundle's host paths do not exist there, said in one line
  const lost = makeBundle('b-join-lost', (c) => (c.linux.namespaces = [{ type: 'mount', path: `/proc/${a}/ns/mnt` }, { type: 'pid' }]), APPLETS);
  const l = runtime(['run', '--bundle', lost, 'kit-oci-join-lost']);
  expect(l.stderr).toBe(`kit-runtime: chdir("${join(lost, 'rootfs')}") failed: ENOENT (No such file or directory); root.path ${join(lost, 'rootfs')} must exist in the joined mount namespace (/proc/${a}/ns/mnt); one that pivoted into its own root (another container's) has no host paths left\n`);
  expect(l.status).not.toBe(0);
  runtime(['delete', '--force', 'kit-oci-join-b']);
  runtime(['delete', '--force', 'kit-oci-join-a']);
  expect(await until(() => !alive(a))).toBe(true);
});

test('a mount namespace joined from an unshare process: the rootfs mounts are made in it (its mount table has them, the host\'s not), the container sees its tmpfs', async () => {
  let holder: ChildProcess | undefined;
  try {
    holder = spawn('unshare', ['--mount', '--propagation', 'private', 'sleep', '600'], { stdio: 'ignore' });
    const u = holder.pid!;
    expect(await until(() => ns(u, 'mnt') !== readlinkSync('/proc/self/ns/mnt'))).toBe(true);
    const bundle = makeBundle('b-join-mnt', (c) => {
      c.process.args = ['sh', '-c', 'cat /shared/file; echo "pid $$"'];
      c.linux.namespaces = [{ type: 'mount', path: `/proc/${u}/ns/mnt` }, { type: 'pid' }, { type: 'ipc' }, { type: 'uts' }];
    }, APPLETS);
    const shared = join(bundle, 'rootfs', 'shared');
    mkdirSync(shared);
    const made = spawnSync('nsenter', ['-t', String(u), '-m', 'sh', '-c', `mount -t tmpfs kit-oci-join ${shared} && echo from-unshare > ${shared}/file`], { encoding: 'utf8' });
    expect(made.stderr).toBe('');
    const r = runtime(['run', '--bundle', bundle, 'kit-oci-join-mnt']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('from-unshare\npid 1\n');
    expect(r.status).toBe(0);
    // the container's /proc was mounted in the unshare process's namespace, never in the host's (where rootfs/shared is an empty directory)
    expect(readFileSync(`/proc/${u}/mountinfo`, 'utf8')).toContain(`${join(bundle, 'rootfs', 'proc')} `);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(join(bundle, 'rootfs'));
  } finally {
    holder?.kill('SIGKILL');
  }
});

test('a user namespace joined with the pid and network namespaces of a container in it: the same maps, root there, new mount/ipc/uts ones owned by it; mappings that differ are refused', async () => {
  const maps = [{ containerID: 0, hostID: 100000, size: 65536 }];
  const inUserns = (c: Record<string, any>) => {
    c.linux.namespaces.push({ type: 'user' });
    c.linux.uidMappings = maps;
    c.linux.gidMappings = maps;
  };
  chmodSync(kr.root, 0o711);
  try {
    const bundleD = makeBundle('b-join-d', (c) => {
      inUserns(c);
      c.process.args = ['sleep', '600'];
    }, APPLETS);
    spawnSync('chown', ['-R', '100000:100000', join(bundleD, 'rootfs')]);
    const c = create(bundleD, 'kit-oci-join-d', ['--pid-file', join(kr.root, 'd.pid')]);
    expect(c.output()).toBe('');
    expect(c.status).toBe(0);
    expect(runtime(['start', 'kit-oci-join-d']).status).toBe(0);
    const d = Number(readFileSync(join(kr.root, 'd.pid'), 'utf8'));
    expect(await until(() => readFileSync(`/proc/${d}/cmdline`, 'utf8').startsWith('sleep'))).toBe(true);
    const joinD = (config: Record<string, any>) => {
      config.process.args = ['sh', '-c', 'cat /proc/self/uid_map; id -u; echo "pid $$"; readlink /proc/self/ns/user; readlink /proc/self/ns/ipc'];
      config.linux.namespaces = [{ type: 'user', path: `/proc/${d}/ns/user` }, { type: 'pid', path: `/proc/${d}/ns/pid` }, { type: 'network', path: `/proc/${d}/ns/net` }, { type: 'mount' }, { type: 'ipc' }, { type: 'uts' }];
    };
    const bundleE = makeBundle('b-join-e', joinD, [...APPLETS, 'readlink']);
    spawnSync('chown', ['-R', '100000:100000', join(bundleE, 'rootfs')]);
    const r = runtime(['run', '--bundle', bundleE, 'kit-oci-join-e']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0].trim().split(/\s+/)).toEqual(['0', '100000', '65536']);
    expect(lines[1]).toBe('0');
    expect(Number(lines[2].split(' ')[1])).toBeGreaterThan(1);
    expect(lines[3]).toBe(ns(d, 'user'));
    expect(lines[4]).not.toBe(ns(d, 'ipc')); // a new one, made in the joined user namespace
    // mappings that are not the namespace's own: refused as runc refuses them, naming the field
    const bad = makeBundle('b-join-bad', (config) => {
      joinD(config);
      config.linux.uidMappings = [{ containerID: 0, hostID: 200000, size: 65536 }];
    }, APPLETS);
    const refused = runtime(['run', '--bundle', bad, 'kit-oci-join-bad']);
    expect(refused.stderr).toBe(`kit-runtime: linux.uidMappings: differs from the uid map of the user namespace it joins at /proc/${d}/ns/user (0 100000 65536); remove the mappings (the joined namespace has its own), or make them the same, as runc wants\n`);
    expect(refused.status).toBe(1);
  } finally {
    runtime(['delete', '--force', 'kit-oci-join-d']);
    chmodSync(kr.root, 0o700);
  }
});

test('a time namespace joined from a container that made one with a boot-time offset: the same namespace, the same shifted uptime', async () => {
  const days = 400 * 86400;
  const t = await sleeper('kit-oci-join-t', (c) => {
    c.linux.namespaces.push({ type: 'time' });
    c.linux.timeOffsets = { boottime: { secs: days } };
  });
  const bundle = makeBundle('b-join-time', (c) => {
    c.process.args = ['sh', '-c', 'cat /proc/uptime; readlink /proc/self/ns/time'];
    c.linux.namespaces.push({ type: 'time', path: `/proc/${t}/ns/time` });
  }, [...APPLETS, 'readlink']);
  const r = runtime(['run', '--bundle', bundle, 'kit-oci-join-time']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const [uptime, link] = r.stdout.trim().split('\n');
  const host = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  expect(Number(uptime.split(' ')[0]) - host).toBeGreaterThan(days - 60);
  expect(link).toBe(ns(t, 'time'));
  expect(ns(t, 'time')).not.toBe(readlinkSync('/proc/self/ns/time'));
});
