import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanKitRoot, containerRunning, eventually, kit, kitBackground, kitJson } from '../support/kit';
import { statusField } from '../../core/host/process';
import { kitUserReleased, kitUserState } from '../support/userns';
import { readSubordinate, SUBUID_FILE } from '../../core/userns/subordinate';

const kr = cleanKitRoot();
// mkdtemp made it 0700: the container's root (an ordinary host uid) must pass through it, as through /var/lib.
chmodSync(kr.root, 0o711);
// Taken when no container of any kit holds the `kit` user (other test files use it too), and only its lines.
let kitUserBefore: ReturnType<typeof kitUserState>;
beforeAll(async () => {
  await kitUserReleased();
  kitUserBefore = kitUserState();
});

afterAll(async () => {
  // The last container out undid the `kit` user and its range, when kit made them.
  await kitUserReleased();
  expect(kitUserState()).toEqual(kitUserBefore);
});

/** The base image's one layer, as stored. */
function layerDir(): string {
  const layers = join(kr.root, 'data', 'layers');
  const [digest] = readdirSync(layers).filter((d) => /^[0-9a-f]{64}$/.test(d));
  return join(layers, digest, 'diff');
}

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

test.each(['overlay2', 'vfs'])('--userns=auto (%s): root inside owns the image and writes into it; the host sees the range\'s first uid', async (driver) => {
  const child = kitBackground(['run', '--userns=auto', '--storage-driver', driver, 'base', 'sh', '-c', 'id -u; ls -ln /bin/busybox; touch /etc/made && echo wrote; echo ok > /dev/null && exec sleep 20'], kr.env);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let pid = 0;
  await eventually(() => (pid = containerRunning(kr.root, 'sleep')?.pid ?? 0) > 0 && comm(pid) === 'sleep');
  const range = readSubordinate(SUBUID_FILE).find((r) => r.user === 'kit')!;
  expect(statusField(pid, 'Uid')).toBe(Array(4).fill(range.start).join(' '));
  expect(readFileSync(`/proc/${pid}/uid_map`, 'utf8').trim().split(/\s+/)).toEqual(['0', String(range.start), '65536']);
  // Idmapped layers: root inside owns the image's files, while on the host the layer is as stored
  // (owner 0) and no chown-ed copy was made under the kit root.
  expect(statSync(join(layerDir(), 'bin', 'busybox')).uid).toBe(0);
  expect(existsSync(join(kr.root, 'data', 'remapped'))).toBe(false);
  process.kill(pid, 'SIGKILL');
  await exited;
  expect(stdout).toMatch(/^0\n-rwxr-xr-x\s+1 0\s+0 .*\/bin\/busybox\nwrote\n/);
  expect(stderr).not.toMatch(/copied layer/);
  // Nothing of the idmapped mounts is left on the host.
  expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(join(kr.root, 'data'));
  expect(stderr).not.toMatch(/EACCES|Error/);
});

test('kit exec into a --userns=auto container is its root, the range\'s first uid on the host, not host root (nobody inside)', async () => {
  const name = `usexec${process.pid}`;
  const pid = Number(kit(['run', '-d', '--name', name, '--userns=auto', 'base', 'sleep', '300'], kr.env).stdout.trim() && kit(['inspect', '-f', '{{.State.Pid}}', name], kr.env).stdout.trim());
  try {
    const range = readSubordinate(SUBUID_FILE).find((r) => r.user === 'kit')!;
    for (const detach of [[], ['-d']]) {
      expect(kit(['exec', ...detach, name, 'sh', '-c', `id -u > /tmp/exec${detach.length}`], kr.env).status).toBe(0);
    }
    for (const n of [0, 1]) {
      const file = `/proc/${pid}/root/tmp/exec${n}`;
      await eventually(() => existsSync(file) && readFileSync(file, 'utf8') === '0\n'); // -d: written once its shim started it
      expect(statSync(file).uid).toBe(range.start);
    }
  } finally {
    expect(kit(['rm', '-f', name], kr.env).status).toBe(0);
  }
});

test.each([
  [['--uidmap', '0:100000:65536', '--uidmap', '1000:300000:10'], /--uidmap: 0:100000:65536 and 1000:300000:10 overlap inside the container/],
  [['--uidmap', '0:100000:100,100:100050:10'], /overlap on the host/],
  [['--uidmap', '0:100000'], /--uidmap 0:100000: expected CONTAINER_ID:HOST_ID:COUNT/],
  [['--gidmap', '0:100000:10'], /--gidmap needs a --uidmap too/],
  [['--userns=host', '--uidmap', '0:100000:10'], /contradict/],
  [['--userns=bogus'], /--userns/],
])('bad user-namespace flags %j: one line, non-zero, nothing made', (flags, message) => {
  const r = kit(['run', ...flags, 'base', 'true'], kr.env);
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n').filter((l) => !l.includes('Warning') && !l.includes('trace-warnings'))).toHaveLength(1);
  expect(existsSync(join(kr.root, 'run', 'containers')) ? readdirSync(join(kr.root, 'run', 'containers')) : []).toEqual([]);
});

test('--uidmap as root with an image: root inside owns the image (idmapped), the map\'s root passes kit\'s closed dirs by an ACL entry that goes afterwards', () => {
  const r = kit(['run', '--rm', '--uidmap', '0:200000:1000', '--network', 'none', 'base', 'sh', '-c', 'id -u; stat -c %u /bin/busybox; touch /made && echo wrote; cat /proc/self/uid_map'], kr.env);
  expect(r.stderr).not.toMatch(/EACCES|cannot pass through/);
  expect(r.stdout.split('\n').slice(0, 3)).toEqual(['0', '0', 'wrote']);
  expect(r.stdout.split('\n')[3].trim().split(/\s+/)).toEqual(['0', '200000', '1000']);
  expect(r.status).toBe(0);
  expect(statSync(join(layerDir(), 'bin', 'busybox')).uid).toBe(0);
  expect(existsSync(join(kr.root, 'data', 'remapped'))).toBe(false);
  // The host as it was: no ACL left on kit's dirs, their modes unchanged.
  for (const dir of ['data', 'run']) expect(execFileSync('getfacl', ['-p', '--omit-header', join(kr.root, dir)], { encoding: 'utf8' })).not.toMatch(/200000|mask/);
  expect(statSync(join(kr.root, 'data')).mode & 0o777).toBe(0o710);
  expect(readdirSync(join(kr.root, 'run', 'containers'))).toEqual([]);
  expect(existsSync('/run/kit-userns/passage/200000')).toBe(false);
});

test("device rules hold in a user namespace: an image's block device node cannot be opened (v1: the devices cgroup; v2: the host loads the BPF program, traced); --privileged opens it", () => {
  const name = `userns-dev-${process.pid}`;
  expect(kit(['run', '--name', name, '--network', 'none', 'base', 'mknod', '/disk', 'b', '7', '0'], kr.env).status).toBe(0);
  expect(kit(['commit', name, 'kit-devimg'], kr.env).status).toBe(0);
  expect(kit(['rm', name], kr.env).status).toBe(0);
  const script = 'head -c 512 /disk > /dev/null && echo opened; cat /dev/null && echo null-ok';
  const go = (flags: string[]) => {
    const r = kit(['run', '--rm', '--uidmap', '0:300000:65536', '--network', 'none', ...flags, 'kit-devimg', 'sh', '-c', script], kr.env);
    return { ...r, out: r.stdout + r.stderr };
  };
  try {
    const v1 = go(['--cgroup-driver', 'v1']);
    expect(v1.out).toMatch(/head: \/disk: Operation not permitted/);
    expect(v1.stdout).toMatch(/^null-ok$/m);
    const v2 = go(['--trace', '--cgroup-driver', 'v2']);
    expect(v2.out).toMatch(/\[host\] bpf\(BPF_PROG_LOAD, \{prog_type=BPF_PROG_TYPE_CGROUP_DEVICE, insn_cnt=\d+, license="Apache"\}, 128\) = \d+/);
    expect(v2.out).toMatch(/\[host\] bpf\(BPF_PROG_ATTACH, \{target_fd=\d+, attach_bpf_fd=\d+, attach_type=BPF_CGROUP_DEVICE, attach_flags=BPF_F_ALLOW_MULTI\}, 128\) = 0/);
    expect(v2.out).toMatch(/head: \/disk: Operation not permitted/);
    expect(v2.stdout).not.toMatch(/^opened$/m);
    expect(v2.stdout).toMatch(/^null-ok$/m);
    // Without the rules, root inside owns the node and opens the host's loop0 (nothing attached: 0 bytes read).
    expect(go(['--privileged', '--cgroup-driver', 'v2']).stdout).toMatch(/^opened$/m);
  } finally {
    expect(kit(['image', 'rm', 'kit-devimg'], kr.env).status).toBe(0);
  }
});

test('--userns=auto with btrfs: the container\'s snapshot is mounted over itself through the maps: root inside owns the image, what it writes lands on disk as the image\'s owners (commit keeps them), no copy', () => {
  const name = `userns-bt-${process.pid}`;
  const r = kit(['run', '--trace', '--name', name, '--userns=auto', '--storage-driver', 'btrfs', '--network', 'none', 'base', 'sh', '-c', 'id -u; stat -c %u /bin/busybox; touch /etc/made && stat -c %u /etc/made'], kr.env);
  expect(r.status).toBe(0);
  expect(r.stdout.split('\n').slice(-4)).toEqual(['0', '0', '0', '']);
  expect(r.stderr).toMatch(/\[host\] mount_setattr\(\d+, "", AT_EMPTY_PATH, \{attr_set=MOUNT_ATTR_IDMAP, userns_fd=\d+\}, 32\) = 0/);
  expect(r.stderr).not.toMatch(/copied layer|moved the owners/);
  expect(existsSync(join(kr.root, 'data', 'remapped'))).toBe(false);
  // On disk (the idmapped mount went with the container), the snapshot holds the image's owners.
  const [id] = readdirSync(join(kr.root, 'data', 'btrfs', 'containers'));
  const snapshot = join(kr.root, 'data', 'btrfs', 'containers', id);
  expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(` ${snapshot} `);
  expect(statSync(join(snapshot, 'etc', 'made')).uid).toBe(0);
  expect(statSync(join(snapshot, 'bin', 'busybox')).uid).toBe(0);
  try {
    expect(kitJson<{ layers: string[] }>(['commit', name, 'kit-btuserns'], kr.env).layers).toHaveLength(2);
    expect(kit(['run', '--rm', '--network', 'none', 'kit-btuserns', 'stat', '-c', '%u', '/etc/made'], kr.env).stdout).toBe('0\n');
  } finally {
    expect(kit(['rm', name], kr.env).status).toBe(0);
    kit(['image', 'rm', 'kit-btuserns'], kr.env);
  }
  expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(join(kr.root, 'data'));
  expect(existsSync(join(kr.root, 'data', 'btrfs.img'))).toBe(false);
});

test('a filesystem that refuses idmapped mounts (a kit root on ramfs): the chown-ed copy, said in one line; `kit image rm` removes the copy with the layer', () => {
  const root = mkdtempSync(join(tmpdir(), 'kit-test-ramfs-'));
  execFileSync('mount', ['-t', 'ramfs', 'kit-test-ramfs', root]);
  try {
    chmodSync(root, 0o711);
    const env = { ...kr.env, KIT_ROOT: root };
    const r = kit(['run', '--rm', '--userns=auto', '--storage-driver', 'vfs', '--network', 'none', 'base', 'stat', '-c', '%u', '/bin/busybox'], env);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('0');
    expect(r.stderr).toMatch(/^kit: user namespace: no idmapped mounts \(mount_setattr\(MOUNT_ATTR_IDMAP\) on \S+ failed \(errno 22\): its filesystem or this kernel does not allow idmapped mounts\): copied layer\(s\) [0-9a-f]{12} with their owners moved/m);
    expect(r.stderr.split('\n').filter((l) => l.includes('idmapped'))).toHaveLength(1);
    const remapped = join(root, 'data', 'remapped');
    const [range] = readdirSync(remapped);
    const [copy] = readdirSync(join(remapped, range));
    expect(statSync(join(remapped, range, copy, 'bin', 'busybox')).uid).toBe(Number(range.split('.')[0]));
    const layers = join(root, 'data', 'layers');
    const [digest] = readdirSync(layers).filter((d) => /^[0-9a-f]{64}$/.test(d));
    expect(statSync(join(layers, digest, 'diff', 'bin', 'busybox')).uid).toBe(0);
    const rm = kit(['image', 'rm', 'base'], env);
    expect(rm.status).toBe(0);
    expect(existsSync(join(remapped, range, copy))).toBe(false);
    expect(existsSync(join(remapped, range))).toBe(false);
    expect(readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(root) && !l.includes('ramfs'))).toEqual([]);
  } finally {
    execFileSync('umount', [root]);
    rmdirSync(root);
  }
});
