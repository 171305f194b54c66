import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanKitRoot, kitJson } from '../support/kit';

interface ChapterJson {
  trace: Array<{ syscall: string; args: string[]; side: string }>;
  container: { stdout: string; stderr: string; exitCode: number };
  before: Array<{ probe: string; text: string }>;
  during: Array<{ probe: string; text: string }>;
  after: Array<{ probe: string; text: string }>;
  claims: Array<{ says: string; held: boolean }>;
}

const kitInit = join(__dirname, '..', '..', 'native-rs', 'kit-init');
const kr = cleanKitRoot(); // and afterwards the overlay mount is gone, no state left

const probe = (list: Array<{ probe: string; text: string }>, id: string) => list.find((p) => p.probe === id)?.text ?? '';

test('layers: the upper layer wins, a whiteout hides, writes land only in the upper dir', () => {
  const r = kitJson<ChapterJson>(['chapter', 'layers'], kr.env);
  expect(r.container.exitCode).toBe(0);
  expect(r.container.stdout).toContain('/etc/motd says: motd from layer 2');
  expect(r.container.stdout).toContain('/etc/issue: No such file or directory');
  expect(probe(r.before, 'image-layers')).toMatch(/c--------- +\d+ root +root +0, +0 .* issue/);
  const mount = r.trace.find((e) => e.side === 'host' && e.syscall === 'mount');
  expect(mount?.args[4]).toMatch(/^"lowerdir=\S+\/layers\/[0-9a-f]{64}\/diff:\S+\/layers\/[0-9a-f]{64}\/diff,upperdir=\S+\/diff,workdir=\S+\/work"$/);
  expect(probe(r.during, 'container-dirs')).toContain(' - overlay overlay ');
  const upper = probe(r.after, 'upper-dir');
  expect(upper).toMatch(/c--------- +\d+ root +root +0, +0 .* vi/); // rm /bin/vi
  expect(upper).toMatch(/-rw-r--r-- .* motd/); // copied up
  expect(upper).not.toMatch(/ (busybox|issue|sh)\n/); // nothing the container did not write
  expect(upper).toContain('motd from layer 2'); // the image layer itself unchanged
  expect(r.trace.some((e) => e.syscall === 'umount2' && e.side === 'host')).toBe(true);
  // the merged dir becomes "/" as in kit run: pivot_root, and no chroot(8) run
  expect(r.trace.some((e) => e.side === 'container' && e.syscall === 'pivot_root')).toBe(true);
  const execs = r.trace.filter((e) => e.syscall === 'execve').map((e) => e.args[0]);
  expect(execs).toEqual(['"' + kitInit + '"', '"/bin/sh"']);
});

test('layers --storage-driver vfs: the same view, from a full copy, with no mount', () => {
  const r = kitJson<ChapterJson>(['chapter', 'layers', '--storage-driver', 'vfs'], kr.env);
  expect(r.container.stdout).toContain('/etc/motd says: motd from layer 2');
  expect(r.container.stdout).toContain('/etc/issue: No such file or directory');
  expect(r.trace.some((e) => e.side === 'host' && e.syscall === 'mount')).toBe(false);
  expect(probe(r.during, 'container-dirs')).toContain('storage driver: vfs');
});

test.each(['vfs', 'btrfs'])("layers --storage-driver %s, the chapter's own Try lines: every point holds, each saying where this driver put the writes", (driver) => {
  const r = kitJson<ChapterJson>(['chapter', 'layers', '--storage-driver', driver], kr.env);
  expect(r.claims.filter((c) => !c.held)).toEqual([]);
  expect(r.claims.map((c) => c.says).join('\n')).toContain(`${driver} has no upper dir`);
  const after = probe(r.after, 'upper-dir');
  expect(after).toMatch(/^ +D \/bin\/vi$/m);
  expect(after).toMatch(/^ +A \/tmp\/new$/m);
});

test('aufs --storage-driver vfs: the driver asked for, and the write found in its copy', () => {
  const r = kitJson<ChapterJson>(['chapter', 'aufs', '--storage-driver', 'vfs'], kr.env);
  expect(r.claims).toEqual([
    { says: 'the driver line names the driver asked for: vfs', held: true },
    { says: "the container read the image's layers and wrote into its own layer", held: true },
  ]);
});

test('aufs: where /proc/filesystems has no aufs, kit says so and falls back to overlay2 as Docker does', () => {
  const hasAufs = /\taufs$/m.test(readFileSync('/proc/filesystems', 'utf8'));
  const r = kitJson<ChapterJson>(['chapter', 'aufs'], kr.env);
  expect(r.container.stdout).toContain('motd from layer 2');
  expect(probe(r.before, 'union-filesystems')).toContain(hasAufs ? '\taufs' : 'no aufs line');
  const dirs = probe(r.during, 'container-dirs');
  if (hasAufs) expect(dirs).toContain('storage driver: aufs');
  else expect(dirs).toMatch(/storage driver: overlay2 \(aufs cannot be used here .*falling back to overlay2/);
  expect(probe(r.during, 'aufs-branches')).toMatch(/"br:\S+\/diff=rw:\S+=ro\+wh:\S+=ro\+wh,dio,xino=\/dev\/shm\/aufs.xino"/);
});
