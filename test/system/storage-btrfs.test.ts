import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanKitRoot, kit, kitJson } from '../support/kit';

/**
 * The btrfs driver: a subvolume per layer, a snapshot per container. This
 * host's kit data dir is not on btrfs, so kit makes a btrfs image file and
 * loop-mounts it; the last btrfs container gone, the mount, the loop device
 * and the file go too.
 */
const kr = cleanKitRoot();
const image = join(kr.root, 'data', 'btrfs.img');
const mnt = join(kr.root, 'data', 'btrfs');
const mounted = () => readFileSync('/proc/self/mountinfo', 'utf8').includes(` ${mnt} `);
const loopOfImage = () => execFileSync('losetup', ['-a'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(image));

function expectHostClean(): void {
  expect(mounted()).toBe(false);
  expect(loopOfImage()).toEqual([]);
  expect(existsSync(image)).toBe(false);
}

test('a container on btrfs: its root is a snapshot on a btrfs filesystem, gone with it', () => {
  const r = kit(['run', '--storage-driver', 'btrfs', 'base', 'sh', '-c', "stat -f -c %t /; echo made > /made; cat /made"], kr.env);
  expect(r.stderr).not.toMatch(/^kit: (?!building|\[)/m); // only the first-use build of base
  expect(r.stdout).toBe('9123683e\nmade\n'); // BTRFS_SUPER_MAGIC: / is on btrfs
  expectHostClean();
});

test('create, run, commit, remove: a kept container keeps the filesystem until kit rm', () => {
  expect(kit(['run', '--name', 'bt1', '--storage-driver', 'btrfs', 'base', 'sh', '-c', 'echo changed > /etc/motd; rm /bin/vi; mkdir /newdir'], kr.env).status).toBe(0);
  expect(mounted()).toBe(true);
  expect(loopOfImage()).toHaveLength(1);
  // The layers are subvolumes, the container a snapshot: btrfs itself lists them.
  const subvolumes = execFileSync('btrfs', ['subvolume', 'list', mnt], { encoding: 'utf8' });
  expect(subvolumes).toMatch(/path layers\/[0-9a-f]{32}/);
  expect(subvolumes).toMatch(/path containers\/[0-9a-f]{12}/);
  expect(kit(['diff', 'bt1'], kr.env).stdout.split('\n')).toEqual(expect.arrayContaining(['D /bin/vi', 'A /etc/motd', 'A /newdir']));
  const committed = kitJson<{ layers: string[] }>(['commit', 'bt1', 'bt1img'], kr.env);
  expect(committed.layers).toHaveLength(2);
  expect(kit(['run', '--storage-driver', 'btrfs', 'bt1img', 'sh', '-c', 'cat /etc/motd; ls /bin/vi 2>&1; ls -d /newdir'], kr.env).stdout).toBe('changed\nls: /bin/vi: No such file or directory\n/newdir\n');
  expect(mounted()).toBe(true); // bt1 still needs it
  expect(kit(['rm', 'bt1'], kr.env).status).toBe(0);
  expectHostClean();
  // The committed image runs on overlay2 as well: its layer is an ordinary kit layer.
  expect(kit(['run', '--storage-driver', 'overlay2', 'bt1img', 'cat', '/etc/motd'], kr.env).stdout).toBe('changed\n');
});

test('the layers chapter on btrfs shows the snapshot, and leaves nothing behind', () => {
  const r = kit(['chapter', 'layers', '--storage-driver', 'btrfs', '--no-trace'], kr.env);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/a btrfs snapshot of the top layer's subvolume/);
  expect(r.stdout).toMatch(/the storage drivers, in the order Docker tries them/);
  expectHostClean();
});

test('kit info: every driver of the seed, each "works here" or why not', () => {
  const info = kitJson<{ drivers: Array<{ name: string; usable: boolean; problem: string | null; notChosen: string | null }> }>(['info'], kr.env);
  const names = info.drivers.map((d) => d.name);
  for (const name of ['btrfs', 'zfs', 'overlay2', 'aufs', 'devicemapper', 'vfs']) expect(names).toContain(name);
  expect(info.drivers.find((d) => d.name === 'btrfs')).toMatchObject({ usable: true, notChosen: expect.stringMatching(/Docker picks btrfs only on btrfs/) });
  expect(info.drivers.find((d) => d.name === 'zfs')?.problem).toMatch(/no zfs module/);
  const text = kit(['info'], kr.env).stdout;
  expect(text).toMatch(/ {4}btrfs: works here, but not picked by itself/);
  expect(text).toMatch(/ {4}zfs: not here: this kernel has no zfs module/);
  expect(text).toMatch(/ {4}vfs: works here\n/);
});

test('zfs asked for: one line with the reason', () => {
  const r = kit(['run', '--storage-driver', 'zfs', 'base', 'true'], kr.env);
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(/^kit: storage driver 'zfs' cannot be used here: this kernel has no zfs module/);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
});
