import { chmodSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cleanKitRoot, containerRunning, eventually, kit, kitBackground } from '../support/kit';
import { statusField } from '../../core/host/process';
import { readSubordinate, SUBUID_FILE } from '../../core/userns/subordinate';

const kr = cleanKitRoot();
// mkdtemp made it 0700: the container's root (an ordinary host uid) must pass through it, as through /var/lib.
chmodSync(kr.root, 0o711);
const subuidBefore = readFileSync(SUBUID_FILE, 'utf8');
const passwdKit = () => readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('kit:'));
const kitBefore = passwdKit();

afterAll(() => {
  // The last container out undid the `kit` user and its range, when kit made them.
  expect(readFileSync(SUBUID_FILE, 'utf8')).toBe(subuidBefore);
  expect(passwdKit()).toBe(kitBefore);
});

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
  // The chown-ed copy of the layers: every owner moved into the range, root -> its first uid.
  const remapped = join(kr.root, 'data', 'remapped', `${range.start}.${range.start}`);
  const [layer] = readdirSync(remapped);
  expect(statSync(join(remapped, layer, 'bin', 'busybox')).uid).toBe(range.start);
  process.kill(pid, 'SIGKILL');
  await exited;
  expect(stdout).toMatch(/^0\n-rwxr-xr-x\s+1 0\s+0 .*\/bin\/busybox\nwrote\n/);
  // The chown-ed copy is explained, once per range: the first run (overlay2) makes it, the vfs run reuses it.
  if (driver === 'overlay2') expect(stderr).toMatch(/kit: user namespace: copied layer\(s\) [0-9a-f]{12} with their owners moved into \d+-\d+ \(uid 0 -> \d+\)/);
  expect(stderr).not.toMatch(/EACCES|Error/);
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

test('--uidmap as root whose range may not reach kit\'s dirs: one clear line before the container starts, nothing left', () => {
  const r = kit(['run', '--uidmap', '0:200000:1000', '--network', 'none', 'base', 'true'], kr.env);
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(/the container's root is host uid 200000 in its user namespace, and it cannot pass through .*\/data \(mode 0710\)/);
  expect(r.stderr).not.toMatch(/EACCES/);
  expect(readdirSync(join(kr.root, 'run', 'containers'))).toEqual([]);
});
