import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { cleanKitRoot, eventually, expectRunRefused, hostSnapshot, kit } from '../support/kit';

/** docker run's namespace modes, --sysctl, --device and friends, seen from outside. */
const kr = cleanKitRoot(() => kit(['reset'], kr.env));
const run = (args: string[]) => kit(['run', '--rm', ...args], kr.env);
const shell = (args: string[], script: string) => run([...args, 'base', 'sh', '-c', script]);

beforeAll(() => expect(kit(['image', 'ls'], kr.env).status).toBe(0)); // builds base once

test('--pid host sees the host\'s processes (this test\'s own pid), container:NAME another\'s; without it the container sees only its own; refused with --userns', () => {
  const mine = new RegExp(`^\\s*${process.pid}\\s`, 'm');
  expect(shell(['--pid', 'host'], 'ps -o pid,comm').stdout).toMatch(mine);
  expect(shell([], 'ps -o pid,comm').stdout).not.toMatch(mine);
  // no PID namespace to end with it: what its first process left behind is killed when it exits (its cgroup), as runc does
  const marker = `sleep ${70000 + (process.pid % 10000)}`;
  expect(shell(['--pid', 'host'], `${marker} & echo started`).stdout).toBe('started\n');
  expect(spawnSync('pgrep', ['-fx', marker]).stdout.toString()).toBe('');
  // ...but a kit exec into it, ending, leaves the container running
  const hostPid = kit(['run', '-d', '--name', 'pidhost', '--pid', 'host', 'base', 'sleep', '300'], kr.env).stdout.trim();
  expect(kit(['exec', 'pidhost', 'true'], kr.env).status).toBe(0);
  expect(kit(['ps', '-q'], kr.env).stdout.trim()).toBe(hostPid);
  expect(kit(['rm', '-f', 'pidhost'], kr.env).status).toBe(0);
  // --pid container:NAME: the other's processes, its sleep as PID 1
  expect(kit(['run', '-d', '--name', 'piddonor', 'base', 'sleep', '300'], kr.env).status).toBe(0);
  expect(shell(['--pid', 'container:piddonor'], 'ps -o pid,comm').stdout).toMatch(/^\s*1 sleep$/m);
  expect(kit(['rm', '-f', 'piddonor'], kr.env).status).toBe(0);
  expectRunRefused(kr, [
    [['--pid', 'host', '--userns', 'auto'], /^kit: --pid host cannot be used in a user namespace.*; drop --userns/],
    [['--pid', 'nope'], /^kit: bad --pid value 'nope'; use host or container:NAME\n$/],
    [['--pid', 'container:nosuch'], /^kit: --pid container:nosuch: no running container named 'nosuch'/],
  ]);
});

test('--ipc host shares the host\'s IPC namespace and /dev/shm; none has no /dev/shm; container:NAME joins a shareable one only', () => {
  const hostIpc = readlinkSync('/proc/self/ns/ipc');
  expect(run(['--ipc', 'host', 'base', 'readlink', '/proc/self/ns/ipc']).stdout).toBe(`${hostIpc}\n`);
  expect(run(['base', 'readlink', '/proc/self/ns/ipc']).stdout).not.toBe(`${hostIpc}\n`);
  // the host's /dev/shm: a file made there is seen inside
  const name = `kit-test-shm-${process.pid}`;
  writeFileSync(`/dev/shm/${name}`, 'shared');
  try {
    expect(run(['--ipc', 'host', 'base', 'cat', `/dev/shm/${name}`]).stdout).toBe('shared');
  } finally {
    spawnSync('rm', ['-f', `/dev/shm/${name}`]);
  }
  expect(shell(['--ipc', 'none'], 'test -e /dev/shm && echo there || echo none').stdout).toBe('none\n');

  expect(kit(['run', '-d', '--name', 'ipcdonor', '--ipc', 'shareable', 'base', 'sleep', '300'], kr.env).status).toBe(0);
  expect(kit(['run', '-d', '--name', 'ipcprivate', 'base', 'sleep', '300'], kr.env).status).toBe(0);
  const donor = kit(['exec', 'ipcdonor', 'readlink', '/proc/self/ns/ipc'], kr.env).stdout;
  expect(donor).toMatch(/^ipc:\[\d+\]\n$/);
  expect(run(['--ipc', 'container:ipcdonor', 'base', 'readlink', '/proc/self/ns/ipc']).stdout).toBe(donor);
  // ...and its /dev/shm, as Docker's: a file the donor writes there the joiner reads, and back
  expect(kit(['exec', 'ipcdonor', 'sh', '-c', 'echo from-donor > /dev/shm/note'], kr.env).status).toBe(0);
  expect(shell(['--ipc', 'container:ipcdonor'], 'cat /dev/shm/note; echo from-joiner > /dev/shm/reply').stdout).toBe('from-donor\n');
  expect(kit(['exec', 'ipcdonor', 'cat', '/dev/shm/reply'], kr.env).stdout).toBe('from-joiner\n');
  // a private container's /dev/shm is not that one
  expect(kit(['exec', 'ipcprivate', 'sh', '-c', 'ls /dev/shm'], kr.env).stdout).toBe('');
  // the donor's tmpfs is on the host only while it runs (checked below, after kit rm)
  const shmMounts = () => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(kr.root) && / \/[^ ]*\/shm /.test(l));
  expect(shmMounts()).toHaveLength(1);
  const refused = run(['--ipc', 'container:ipcprivate', 'base', 'true']);
  expect(refused.status).toBe(125);
  expect(refused.stderr.trim()).toBe("kit: --ipc container:ipcprivate: that container's IPC is private, not shareable; start it with --ipc shareable (Docker's rule: a container shares its IPC only when it says so)");
  expect(kit(['rm', '-f', 'ipcdonor', 'ipcprivate'], kr.env).status).toBe(0);
  expect(shmMounts()).toEqual([]);
});

test('--uts host keeps the host\'s hostname and refuses -h; --domainname is the container\'s own', () => {
  expect(run(['--uts', 'host', 'base', 'hostname']).stdout).toBe(`${hostname()}\n`);
  const hostDomain = readFileSync('/proc/sys/kernel/domainname', 'utf8');
  expect(run(['--domainname', 'example.org', 'base', 'cat', '/proc/sys/kernel/domainname']).stdout).toBe('example.org\n');
  expect(readFileSync('/proc/sys/kernel/domainname', 'utf8')).toBe(hostDomain);
  expectRunRefused(kr, [
    [['--uts', 'host', '-h', 'box'], /^kit: conflicting options: hostname and the UTS mode; /],
    [['--uts', 'host', '--domainname', 'x.org'], /^kit: conflicting options: domainname and the UTS mode; /],
    [['--uts', 'private'], /^kit: bad --uts value 'private'/],
  ]);
});

test('--sysctl writes the container\'s own namespaced value and the host keeps its own; host-wide ones are refused', () => {
  const hostForward = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8');
  const hostShmmax = readFileSync('/proc/sys/kernel/shmmax', 'utf8');
  expect(run(['--sysctl', 'net.ipv4.ip_forward=1', 'base', 'cat', '/proc/sys/net/ipv4/ip_forward']).stdout).toBe('1\n');
  expect(run(['--sysctl', 'net.ipv4.ip_forward=0', 'base', 'cat', '/proc/sys/net/ipv4/ip_forward']).stdout).toBe('0\n');
  expect(run(['--sysctl', 'kernel.shmmax=12345678', 'base', 'cat', '/proc/sys/kernel/shmmax']).stdout).toBe('12345678\n');
  expect(readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8')).toBe(hostForward);
  expect(readFileSync('/proc/sys/kernel/shmmax', 'utf8')).toBe(hostShmmax);
  expectRunRefused(kr, [
    [['--ipc', 'host', '--sysctl', 'kernel.shmmax=1'], /^kit: sysctl kernel.shmmax is not allowed in the host's IPC namespace/],
    [['--network', 'host', '--sysctl', 'net.ipv4.ip_forward=1'], /^kit: sysctl net.ipv4.ip_forward is not allowed in the host's network namespace/],
    [['--sysctl', 'kernel.pid_max=100'], /^kit: sysctl kernel.pid_max is not in a separate kernel namespace/],
    [['--sysctl', 'novalue'], /^kit: bad --sysctl 'novalue'; use KEY=VALUE/],
  ]);
});

/** A host loop device's numbers (every host here has /dev/loop*), to make nodes of in a temp dir. */
function loopDevices(): Array<{ minor: number }> {
  return readdirSync('/dev').filter((n) => /^loop\d+$/.test(n)).map((n) => statSync(`/dev/${n}`)).filter((s) => s.isBlockDevice() && (s.rdev >> 8) === 7).map((s) => ({ minor: s.rdev & 0xff }));
}

test('--device gives one device (with its permissions); another made inside stays refused by the device rules', () => {
  const [loop, other] = loopDevices();
  expect(other).toBeDefined();
  const dir = mkdtempSync(join(kr.root, 'dev-'));
  expect(spawnSync('mknod', [join(dir, 'disk'), 'b', '7', String(loop.minor)]).status).toBe(0);
  expect(spawnSync('mknod', [join(dir, 'mynull'), 'c', '1', '3']).status).toBe(0);
  const open = (path: string) => `dd if=${path} of=/dev/null count=0 2>/dev/null && echo open || echo refused`;
  const r = shell(['--device', `${join(dir, 'disk')}:/dev/xdisk`], `ls -l /dev/xdisk; ${open('/dev/xdisk')}; mknod /dev/other b 7 ${other.minor}; ${open('/dev/other')}`);
  expect(r.stdout).toMatch(new RegExp(`^b.* 7, +${loop.minor} .*/dev/xdisk\nopen\nrefused\n$`));
  // :r allows reading only
  expect(shell(['--device', `${join(dir, 'disk')}:/dev/sub/xdisk:r`], `${open('/dev/sub/xdisk')}; dd if=/dev/zero of=/dev/sub/xdisk count=0 2>/dev/null && echo written || echo not-written`).stdout).toBe('open\nnot-written\n');
  // without --device the same node is refused
  expect(shell([], `mknod /dev/xdisk b 7 ${loop.minor}; ${open('/dev/xdisk')}`).stdout).toBe('refused\n');
  expect(shell(['--device', `${join(dir, 'mynull')}:/dev/xnull`], 'ls -l /dev/xnull').stdout).toMatch(/^crw-.* 1, +3 .*\/dev\/xnull\n$/);
  writeFileSync(join(dir, 'plain'), '');
  expectRunRefused(kr, [
    [['--device', join(dir, 'plain')], new RegExp(`^kit: --device ${join(dir, 'plain')}: .* is not a device node; `)],
    [['--device', dir], /is a directory; give each device node in it with its own --device\n$/],
    [['--device', join(dir, 'missing')], /cannot find .* on the host \(ENOENT\)/],
    [['--device', `${join(dir, 'mynull')}:/dev/null`], /every container already has \/dev\/null/],
    [['--device', `${join(dir, 'mynull')}:/etc/x`], /kit makes device nodes in the container's \/dev/],
    [['--device', `${join(dir, 'mynull')}:/dev/x:rwz`], /'rwz' is not a set of permissions/],
  ]);
});

test('--group-add shows in id; --shm-size sizes /dev/shm', () => {
  expect(run(['--group-add', '44', '--group-add', '1234', 'base', 'id', '-G']).stdout.trim().split(' ')).toEqual(expect.arrayContaining(['44', '1234']));
  expect(shell(['--shm-size', '8m'], "df -k /dev/shm | awk 'NR==2 {print $2}'").stdout).toBe('8192\n');
  expect(shell([], "df -k /dev/shm | awk 'NR==2 {print $2}'").stdout).toBe('65536\n');
  expectRunRefused(kr, [
    [['--group-add', 'nosuchgroup'], /^kit: --group-add nosuchgroup: no group 'nosuchgroup' in the image's \/etc\/group/],
    [['--shm-size', 'lots'], /^kit: .*--shm-size/],
    [['--shm-size', '8m', '--ipc', 'host'], /^kit: conflicting options: --shm-size and --ipc host/],
  ]);
});

test('--cidfile holds the id; an existing file is refused and kept; a run that fails to start leaves none', () => {
  const file = join(kr.root, 'cid');
  expect(kit(['run', '-d', '--name', 'withcid', '--cidfile', file, 'base', 'sleep', '300'], kr.env).stdout.trim()).toBe(readFileSync(file, 'utf8'));
  const again = kit(['run', '--rm', '--cidfile', file, 'base', 'true'], kr.env);
  expect(again.status).toBe(125);
  expect(again.stderr.trim()).toBe(`kit: container ID file found: ${file}; make sure the other container isn't running, or delete it`);
  expect(kit(['ps', '-q'], kr.env).stdout.trim()).toBe(readFileSync(file, 'utf8'));
  expect(kit(['rm', '-fv', 'withcid'], kr.env).status).toBe(0);
  const failed = join(kr.root, 'cid-failed');
  expect(kit(['run', '--rm', '--cidfile', failed, '--sysctl', 'net.ipv4.no_such_key=1', 'base', 'true'], kr.env).status).toBe(125);
  expect(existsSync(failed)).toBe(false);
  expect(hostSnapshot(kr.root).containers).toEqual([]);
});

test('--oom-kill-disable and --memory-reservation are in the cgroup files; inspect shows the HostConfig of every flag', () => {
  const dir = mkdtempSync(join(kr.root, 'dev-'));
  expect(spawnSync('mknod', [join(dir, 'mynull'), 'c', '1', '3']).status).toBe(0);
  const args = ['--memory', '64m', '--memory-reservation', '32m', '--oom-kill-disable', '--pid', 'host', '--ipc', 'shareable', '--sysctl', 'net.ipv4.ip_forward=1', '--device', `${join(dir, 'mynull')}:/dev/xnull:rw`, '--group-add', '44', '--shm-size', '8m'];
  expect(kit(['run', '-d', '--name', 'hostconfig', ...args, 'base', 'sleep', '300'], kr.env).status).toBe(0);
  const [c] = JSON.parse(kit(['inspect', 'hostconfig'], kr.env).stdout) as Array<{ HostConfig: Record<string, unknown>; Cgroups: string[] }>;
  expect(c.HostConfig).toMatchObject({
    PidMode: 'host',
    IpcMode: 'shareable',
    UTSMode: '',
    Sysctls: { 'net.ipv4.ip_forward': '1' },
    Devices: [{ PathOnHost: join(dir, 'mynull'), PathInContainer: '/dev/xnull', CgroupPermissions: 'rw' }],
    GroupAdd: ['44'],
    ShmSize: 8 * 1024 * 1024,
    OomKillDisable: true,
    MemoryReservation: 32 * 1024 * 1024,
  });
  const memory = c.Cgroups.find((p) => p.includes('/memory/'));
  expect(memory).toBeDefined(); // cgroup v1 here
  expect(readFileSync(join(memory!, 'memory.soft_limit_in_bytes'), 'utf8')).toBe(`${32 * 1024 * 1024}\n`);
  expect(readFileSync(join(memory!, 'memory.oom_control'), 'utf8')).toMatch(/^oom_kill_disable 1$/m);
  expect(kit(['rm', '-f', 'hostconfig'], kr.env).status).toBe(0);
});

test('logs --since and --until keep the lines written in their window', async () => {
  expect(kit(['run', '-d', '--name', 'talker', 'base', 'sh', '-c', 'echo first; sleep 2; echo second'], kr.env).status).toBe(0);
  await eventually(() => kit(['ps', '-aq', '--filter', 'status=exited'], kr.env).stdout.trim() !== '');
  const stamped = kit(['logs', '-t', 'talker'], kr.env).stdout.trim().split('\n').map((l) => Date.parse(l.split(' ')[0]));
  expect(stamped).toHaveLength(2);
  const between = new Date((stamped[0] + stamped[1]) / 2).toISOString();
  expect(kit(['logs', '--since', between, 'talker'], kr.env).stdout).toBe('second\n');
  expect(kit(['logs', '--until', between, 'talker'], kr.env).stdout).toBe('first\n');
  expect(kit(['logs', '--since', '1h', 'talker'], kr.env).stdout).toBe('first\nsecond\n');
  expect(kit(['logs', '--since', String(Math.ceil(Date.now() / 1000) + 60), 'talker'], kr.env).stdout).toBe('');
  const bad = kit(['logs', '--since', 'yesterday', 'talker'], kr.env);
  expect(bad.status).not.toBe(0);
  expect(bad.stderr.trim()).toMatch(/^kit: bad --since value 'yesterday'; give a time/);
  expect(kit(['rm', 'talker'], kr.env).status).toBe(0);
});
