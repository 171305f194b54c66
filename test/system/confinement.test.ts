import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { capabilityMask, capabilityNames, DOCKER_DEFAULT_CAPS, processCapabilities } from '../../core/security';
import type { ChapterJson } from '../support/json';
import { cleanKitRoot, eventually, hostSnapshot, kit, kitBackground, kitJson } from '../support/kit';

/** A default `kit run` is confined as Docker's is; the flags loosen or tighten it exactly. */
const kr = cleanKitRoot();

/** What kit itself holds: a container never gets more (this sandbox lacks CAP_SYS_RESOURCE). */
const held = processCapabilities('self', 'CapBnd');

function run(flags: string[], script: string) {
  const r = kit(['run', '--network', 'none', ...flags, 'base', 'sh', '-c', script], kr.env);
  return { ...r, out: r.stdout + r.stderr };
}

/** The capability lines of the container's first process, as masks. */
function statusOf(flags: string[]) {
  const r = run(flags, 'cat /proc/self/status');
  expect(r.status).toBe(0);
  const field = (name: string) => BigInt(`0x${new RegExp(`^${name}:\\s*([0-9a-f]+)$`, 'm').exec(r.stdout)![1]}`);
  const number = (name: string) => Number(new RegExp(`^${name}:\\s*(\\d+)$`, 'm').exec(r.stdout)![1]);
  return { eff: field('CapEff'), prm: field('CapPrm'), inh: field('CapInh'), bnd: field('CapBnd'), amb: field('CapAmb'), seccomp: number('Seccomp'), nnp: number('NoNewPrivs') };
}

const docker = capabilityMask(DOCKER_DEFAULT_CAPS) & held;

beforeAll(() => expect(kit(['image', 'ls'], kr.env).status).toBe(0)); // builds base once

test("default: exactly Docker's 14 capabilities in every set, none inheritable or ambient, a seccomp filter, no no_new_privs", () => {
  const s = statusOf([]);
  expect(s.inh).toBe(0n); // CVE-2022-24769: Docker and runc leave the inheritable set empty
  expect(capabilityNames(s.eff)).toEqual(capabilityNames(docker));
  expect(s.eff).toBe(docker);
  expect(s.prm).toBe(docker);
  expect(s.bnd).toBe(docker);
  expect(s.amb).toBe(0n);
  expect(s.seccomp).toBe(2); // SECCOMP_MODE_FILTER
  expect(s.nnp).toBe(0);
});

test('--user 1000: no capability in any set but the bounding one, none inheritable (a setcap +ei program gains nothing), the same filter', () => {
  const s = statusOf(['--user', '1000:1000']);
  expect({ eff: s.eff, prm: s.prm, inh: s.inh, amb: s.amb }).toEqual({ eff: 0n, prm: 0n, inh: 0n, amb: 0n });
  expect(s.bnd).toBe(docker);
  expect(s.seccomp).toBe(2);
});

test('--cap-add NET_ADMIN adds exactly that one; cap_ prefixes and case do not matter', () => {
  expect(statusOf(['--cap-add', 'NET_ADMIN']).eff).toBe(docker | (1n << 12n));
  expect(statusOf(['--cap-add', 'cap_net_admin']).eff).toBe(docker | (1n << 12n));
});

test('--cap-drop removes; --cap-drop ALL --cap-add CHOWN leaves only CHOWN', () => {
  expect(statusOf(['--cap-drop', 'NET_RAW', '--cap-drop', 'CAP_MKNOD']).eff).toBe(docker & ~((1n << 13n) | (1n << 27n)));
  const only = statusOf(['--cap-drop', 'ALL', '--cap-add', 'CHOWN']);
  expect(only.eff).toBe(1n);
  expect(only.bnd).toBe(1n);
});

test('--privileged: every capability kit holds and no seccomp filter; seccomp=unconfined keeps the capabilities', () => {
  const p = statusOf(['--privileged']);
  expect(p.eff).toBe(held);
  expect(p.seccomp).toBe(0);
  const u = statusOf(['--security-opt', 'seccomp=unconfined']);
  expect(u.seccomp).toBe(0);
  expect(u.eff).toBe(docker);
});

test('--security-opt no-new-privileges sets NoNewPrivs', () => {
  const s = statusOf(['--security-opt', 'no-new-privileges']);
  expect(s.nnp).toBe(1);
  expect(s.seccomp).toBe(2);
  expect(s.eff).toBe(docker);
});

test('the trace shows each step on the container side: bounding set, capset by name, ambient, seccomp', () => {
  const r = kit(['run', '--trace', '--network', 'none', 'base', 'true'], kr.env);
  expect(r.status).toBe(0);
  expect(r.stderr).toMatch(/\[ctr \] prctl\(PR_CAPBSET_DROP, CAP_SYS_ADMIN\) = 0/);
  expect(r.stderr).toMatch(/\[ctr \] capset\(\{version=_LINUX_CAPABILITY_VERSION_3, pid=0\}, \{effective=CAP_CHOWN\|CAP_DAC_OVERRIDE\|.*CAP_SETFCAP, permitted=effective, inheritable=0\}\) = 0/);
  expect(r.stderr).toMatch(/\[ctr \] prctl\(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0\) = 0/);
  expect(r.stderr).toMatch(/\[ctr \] seccomp\(SECCOMP_SET_MODE_FILTER, 0, \{len=\d+, filter=0x[0-9a-f]+\}\) = 0\n\s+# seccomp, Docker's default profile \(filter 1 of 2\): \d+ syscall names allowed, any other call fails with EPERM/);
  expect(r.stderr).toMatch(/# seccomp, Docker's default profile \(filter 2 of 2\): clone3 fails with ENOSYS/);
});

/** busybox prints strerror(errno): the message names the errno that stopped the call. */
const EPERM = 'Operation not permitted';

test('from inside a default container: mount, umount of a mask, unshare, the kernel log, module loading are refused with EPERM', () => {
  const r = run([], [
    'mount -t tmpfs kit-x /mnt 2>&1; echo "mount=$?"',
    'umount /proc/kcore 2>&1; echo "umount=$?"',
    'mount -o remount,rw /proc/sys 2>&1; echo "remount=$?"',
    'unshare -m true 2>&1; echo "unshare=$?"',
    'dmesg 2>&1 | head -1; echo "dmesg"',
    'insmod /nonexistent.ko 2>&1; echo "insmod=$?"',
    'echo 1 > /proc/sys/kernel/printk_delay 2>&1; echo "sysctl=$?"',
  ].join('; '));
  expect(r.out).toMatch(/mount=[1-9]/);
  expect(r.out).toMatch(/umount: can't unmount \/proc\/kcore: Operation not permitted/);
  expect(r.out).toMatch(/remount=[1-9]/);
  expect(r.out).toMatch(new RegExp(`unshare: unshare\\(0x20000\\): ${EPERM}`));
  expect(r.out).toMatch(new RegExp(`dmesg: klogctl: ${EPERM}`));
  expect(r.out).toMatch(/insmod=[1-9]/);
  expect(r.out).toMatch(/Read-only file system/); // /proc/sys stays read-only
});

test('--privileged restores them: the same mount and unshare succeed', () => {
  const r = run(['--privileged'], 'mount -t tmpfs kit-x /mnt && echo mounted; unshare -m true && echo unshared');
  expect(r.out).toContain('mounted');
  expect(r.out).toContain('unshared');
});

test('--security-opt seccomp=PROFILE.json: a Docker-format profile is what the container gets', () => {
  const file = join(kr.root, 'deny-mkdir.json');
  writeFileSync(file, JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 }] }));
  const r = run(['--security-opt', `seccomp=${file}`], 'mkdir /kit-x 2>&1; echo "mkdir=$?"; grep Seccomp: /proc/self/status');
  expect(r.out).toMatch(/Permission denied/); // EACCES = 13, the profile's errnoRet
  expect(r.out).toMatch(/mkdir=1/);
  expect(r.out).toMatch(/Seccomp:\s+2/);
});

test('bad values: one line naming the value and the fix, exit non-zero, nothing left behind', () => {
  const bad = join(kr.root, 'bad.json');
  writeFileSync(bad, JSON.stringify({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['read'], action: 'SCMP_ACT_PERHAPS' }] }));
  const notJson = join(kr.root, 'not.json');
  writeFileSync(notJson, '{ "defaultAction": ');
  const cases: Array<[string[], RegExp]> = [
    [['--cap-add', 'NET_ADMIM'], /^kit: unknown capability 'NET_ADMIM' in --cap-add/],
    [['--cap-drop', 'bogus'], /^kit: unknown capability 'bogus' in --cap-drop/],
    [['--security-opt', 'seccomp=' + bad], /^kit: seccomp profile bad.json: syscalls\[0\].action 'SCMP_ACT_PERHAPS' is not a seccomp action/],
    [['--security-opt', 'seccomp=' + notJson], /^kit: seccomp profile .*not.json is not JSON/],
    [['--security-opt', 'seccomp=/nonexistent.json'], /^kit: cannot read seccomp profile \/nonexistent.json: ENOENT/],
    [['--security-opt', 'seccomp=/dev/zero'], /^kit: seccomp profile \/dev\/zero is not a regular file/],
    [['--security-opt', 'apparmor=foo'], /^kit: unknown security option 'apparmor=foo' in --security-opt/],
  ];
  for (const [flags, line] of cases) {
    const r = kit(['run', '--network', 'none', ...flags, 'base', 'true'], kr.env);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(line);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2); // the line, and its fix
    expect(r.stdout).toBe('');
  }
  expect(hostSnapshot(kr.root).containers).toEqual([]);
});

test('kit exec gets the container\'s confinement, as docker exec does', () => {
  const name = `confine-exec-${process.pid}`;
  expect(kit(['run', '-d', '--name', name, '--network', 'none', '--cap-add', 'NET_ADMIN', 'base', 'sleep', '30'], kr.env).status).toBe(0);
  try {
    const r = kit(['exec', name, 'cat', '/proc/self/status'], kr.env);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^CapInh:\s*0{16}$/m);
    const user = kit(['exec', '--user', '65534', name, 'cat', '/proc/self/status'], kr.env);
    expect(user.stdout).toMatch(/^CapEff:\s*0{16}$/m);
    expect(user.stdout).toMatch(/^CapInh:\s*0{16}$/m);
    expect(user.stdout).toMatch(/^Seccomp:\s+2$/m);
    expect(/^CapEff:\s*([0-9a-f]+)$/m.exec(r.stdout)![1]).toBe((docker | (1n << 12n)).toString(16).padStart(16, '0'));
    expect(r.stdout).toMatch(/^Seccomp:\s+2$/m);
  } finally {
    expect(kit(['rm', '-f', name], kr.env).status).toBe(0);
  }
});

test("devices: a node made inside for a host block device (loop0, 7:0) cannot be opened (EPERM, the devices cgroup); --privileged opens it", () => {
  const script = 'mknod /tmp/disk b 7 0 && echo made; head -c 512 /tmp/disk > /dev/null && echo opened';
  const confined = run([], script);
  expect(confined.out).toContain('made'); // mknod itself is allowed (b *:* m), as in Docker
  expect(confined.out).toMatch(new RegExp(`head: /tmp/disk: ${EPERM}`));
  expect(confined.out).not.toContain('opened');
  const privileged = run(['--privileged'], script); // reads from a loop device (nothing attached: 0 bytes), writes nothing
  expect(privileged.out).toContain('opened');
});

test('devices on a cgroup v2 driver: the same rules as a BPF program on the container\'s cgroup (traced), same EPERM; /dev/null and /dev/full still work', () => {
  const script = 'mknod /tmp/disk b 7 0 && echo made; head -c 512 /tmp/disk > /dev/null && echo opened; cat /dev/null && echo null-ok';
  const r = kit(['run', '--trace', '--cgroup-driver', 'v2', '--network', 'none', 'base', 'sh', '-c', script], kr.env);
  const out = r.stdout + r.stderr;
  expect(out).toMatch(/\[ctr \] bpf\(BPF_PROG_LOAD, \{prog_type=BPF_PROG_TYPE_CGROUP_DEVICE, insn_cnt=\d+, license="Apache"\}, 128\) = \d+/);
  expect(out).toMatch(/\[ctr \] bpf\(BPF_PROG_ATTACH, \{target_fd=\d+, attach_bpf_fd=\d+, attach_type=BPF_CGROUP_DEVICE, attach_flags=BPF_F_ALLOW_MULTI\}, 128\) = 0/);
  expect(out).toContain('made');
  expect(out).toMatch(new RegExp(`head: /tmp/disk: ${EPERM}`));
  expect(r.stdout).not.toMatch(/^opened$/m); // (the trace on stderr quotes the script)
  expect(r.stdout).toMatch(/^null-ok$/m);
  const privileged = run(['--privileged', '--cgroup-driver', 'v2'], script);
  expect(privileged.out).toContain('opened');
});

test("kit's data and state dirs are closed to other users: a setuid program a container writes cannot be run by them", async () => {
  chmodSync(kr.root, 0o755); // only kit's own dir modes stand between other users and the layers
  const name = `confine-suid-${process.pid}`;
  expect(kit(['run', '-d', '--name', name, '--network', 'none', 'base', 'sh', '-c', 'cp /bin/busybox /suid && chmod 4755 /suid && sleep 30'], kr.env).status).toBe(0);
  try {
    expect(statSync(join(kr.root, 'data')).mode & 0o777).toBe(0o710);
    expect(statSync(join(kr.root, 'run')).mode & 0o777).toBe(0o700);
    const find = () => spawnSync('find', [join(kr.root, 'data'), '-name', 'suid', '-perm', '-4000'], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
    await eventually(() => find().length > 0); // it is there, setuid root...
    const found = find();
    for (const path of found) {
      // Through a shell: setpriv itself keeps root's capabilities until its own execve.
      const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'sh', '-c', 'exec "$0" id -u', path], { encoding: 'utf8' });
      expect(r.stderr).toMatch(/Permission denied/); // ...and out of reach of user nobody
      expect(r.stdout).not.toMatch(/^0$/m);
    }
  } finally {
    expect(kit(['rm', '-f', name], kr.env).status).toBe(0);
    chmodSync(kr.root, 0o700);
  }
});

/** Packets kit's route_localnet guard dropped so far (its counter in `iptables -L INPUT -v`); 0 when absent. */
function guardDrops(): number {
  const out = spawnSync('iptables', ['-w', '-L', 'INPUT', '-v', '-n', '-x'], { encoding: 'utf8' }).stdout;
  const line = out.split('\n').find((l) => /DROP.*kit0.*127\.0\.0\.0\/8.*ctstate RELATED,ESTABLISHED,DNAT/.test(l));
  return line ? Number(line.trim().split(/\s+/)[0]) : 0;
}

test("network: even --privileged, a container that routes 127.0.0.1 to its gateway cannot reach a host service bound to 127.0.0.1 (the route_localnet guard drops it)", async () => {
  const received: string[] = [];
  const server = createSocket('udp4');
  server.on('message', (m) => received.push(m.toString('latin1')));
  await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
  const port = server.address().port;
  const before = guardDrops();
  // Root inside with every capability: take 127.0.0.1 off lo, send it to kit0's address, allow it on eth0, then send a UDP datagram (tftp's request).
  const attack = [
    "GW=$(ip route | awk '/default/{print $3}')",
    'ip route del local 127.0.0.0/8 dev lo table local',
    'ip route del local 127.0.0.1 dev lo table local',
    'ip route add 127.0.0.1/32 via $GW dev eth0',
    'echo 1 > /proc/sys/net/ipv4/conf/eth0/route_localnet',
    `timeout 2 tftp -g -r kit-escape 127.0.0.1 ${port}`,
    'sleep 5', // kit0 and its guard live as long as a container uses them: read the counter meanwhile
  ].join('; ');
  const child = kitBackground(['run', '--privileged', 'base', 'sh', '-c', attack], kr.env);
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await eventually(() => guardDrops() > before, 20000); // the guard dropped the datagrams (without it, they arrive)...
  expect(await exited).toBe(0);
  server.close();
  expect(received).toEqual([]); // ...and nothing reached the host's service
});

test('chapter caps: kit-init had every capability before release, the command has the 14, and mount fails with EPERM for want of CAP_SYS_ADMIN', () => {
  const r = kitJson<ChapterJson & { unconfined?: string }>(['chapter', 'caps'], kr.env);
  expect(r.created![0].text).toContain('SYS_ADMIN'); // the host's view once the container is created, before kit-init's plan
  expect(r.container.stdout).toMatch(/^CapEff:\s+00000000a80425fb$/m);
  const mount = r.trace.find((e) => e.syscall === 'mount' && e.args[0] === '"kit-demo"')!;
  expect(mount).toMatchObject({ side: 'container', ret: -1, errno: 'EPERM' });
  expect(r.trace.find((e) => e.syscall === 'seccomp')).toBeUndefined(); // the refusal is the capability's alone
  expect(r.unconfined).toMatch(/no seccomp filter/);
});

test('chapter seccomp: mount passes the filter with CAP_SYS_ADMIN, swapoff is refused with EPERM, and without the filter the kernel says ENOENT', () => {
  const r = kitJson<ChapterJson & { comparison: { container: { stdout: string; stderr: string } } }>(['chapter', 'seccomp'], kr.env);
  expect(r.trace.filter((e) => e.syscall === 'seccomp').every((e) => e.ret === 0)).toBe(true);
  expect(r.trace.find((e) => e.syscall === 'mount' && e.args[0] === '"kit-demo"')).toMatchObject({ ret: 0 });
  expect(r.trace.find((e) => e.syscall === 'swapoff')).toMatchObject({ side: 'container', ret: -1, errno: 'EPERM' });
  expect(r.container.stdout).toMatch(/^Seccomp:\s+2$/m);
  expect(r.container.stderr).toContain('Operation not permitted');
  expect(r.comparison.container.stderr).toContain('No such file or directory');
});

test('chapter escape: every attack is refused by default (each with its errno), most succeed with --privileged, and the host is as it was', () => {
  const sysctl = () => readFileSync('/proc/sys/kernel/printk_ratelimit', 'utf8');
  const before = sysctl();
  const r = kitJson<ChapterJson & { comparison: { container: { stdout: string; notes: string[] } } }>(['chapter', 'escape'], kr.env);
  const lines = (stdout: string) => new Map(stdout.split('\n').filter((l) => l.startsWith('kit-attack|')).map((l) => [l.split('|')[1], l.split('|').slice(2).join('|')]));
  const on = lines(r.container.stdout);
  expect(on.get('chroot')).toMatch(/^refused\|/);
  expect(on.get('disk')).toMatch(/^refused\|.*Operation not permitted/); // the devices cgroup
  expect(on.get('sysctl')).toMatch(/^refused\|.*Read-only file system/); // /proc/sys read-only
  expect(on.get('unmask')).toMatch(/^refused\|.*Operation not permitted/); // seccomp
  expect(on.get('module')).toMatch(/^refused\|.*Operation not permitted/);
  expect(on.get('klog')).toMatch(/^refused\|.*Operation not permitted/);
  expect(on.get('loopback')).toMatch(/^refused\|.*Operation not permitted/); // no CAP_NET_ADMIN
  const off = lines(r.comparison.container.stdout);
  for (const id of ['disk', 'sysctl', 'unmask', 'klog']) expect(off.get(id)).toMatch(/^ok\|/);
  expect(off.get('loopback')).toMatch(/^ok\|/); // sent...
  expect(r.comparison.container.notes.join('\n')).toMatch(/received 0 datagram/); // ...and dropped by the guard
  expect(sysctl()).toBe(before);
});
