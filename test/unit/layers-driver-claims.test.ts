import { cpSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import layers from '../../chapters/layers';
import aufs from '../../chapters/aufs';
import { checkClaims, type ChapterResultData } from '../../core/curriculum/claims';
import { upperDir } from '../../core/probes/storage';
import { topLayerSubvolume } from '../../core/storage/btrfs';
import type { StorageView } from '../../core/curriculum/chapter-storage';

/**
 * kit chapter layers --storage-driver vfs / btrfs: no upper dir, so what the
 * container wrote is read from its whole tree (kit diff's comparison), and
 * the chapter's points say and check that, from the probe's own output.
 */
let root: string;
beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'kit-layers-claims-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** The demo image's two layers (without layer 2's whiteout, which needs mknod), and a root made from them by `driver`. */
function storage(driver: 'vfs' | 'btrfs', write: (rootfs: string) => void): StorageView {
  const l1 = join(root, 'layers', 'l1');
  const l2 = join(root, 'layers', 'l2');
  for (const d of ['bin', 'etc', 'tmp']) mkdirSync(join(l1, d), { recursive: true });
  writeFileSync(join(l1, 'bin', 'vi'), 'vi');
  writeFileSync(join(l1, 'etc', 'motd'), 'motd from layer 1\n');
  mkdirSync(join(l2, 'etc'), { recursive: true });
  writeFileSync(join(l2, 'etc', 'motd'), 'motd from layer 2\n');
  const rootfs = driver === 'vfs' ? join(root, 'containers', 'c1', 'rootfs') : join(root, 'btrfs', 'containers', 'c1');
  for (const layer of [l1, l2]) cpSync(layer, rootfs, { recursive: true, preserveTimestamps: true });
  if (driver === 'btrfs') cpSync(rootfs, topLayerSubvolume(rootfs, [l1, l2]) as string, { recursive: true, preserveTimestamps: true });
  write(rootfs);
  return { driver, reason: 'asked for (--storage-driver or KIT_STORAGE_DRIVER)', image: { name: 'demo', layers: [], config: {}, created: '', history: [] }, lowers: [l1, l2], dir: join(root, 'containers', 'c1'), rootfs };
}

/** What the demo's command does inside. */
function demoWrites(rootfs: string): void {
  writeFileSync(join(rootfs, 'etc', 'motd'), 'changed by the container\n');
  unlinkSync(join(rootfs, 'bin', 'vi'));
  writeFileSync(join(rootfs, 'tmp', 'new'), 'new\n');
}

async function run(s: StorageView, stdout: string): Promise<ChapterResultData> {
  const after = { probe: 'upper-dir', title: upperDir.title, ...(await upperDir.run({ storage: s })) };
  const dirs = { probe: 'container-dirs', title: 'dirs', text: `storage driver: ${s.driver} (${s.reason})\nrootfs: ${s.rootfs}` };
  return { before: [], during: [dirs], running: [], after: [after], trace: [], container: { stdout, stderr: '', exitCode: 0, signal: null, notes: [] } };
}

const LAYERS_OUT = '/etc/motd says: motd from layer 2\nls: /etc/issue: No such file or directory\n/etc/motd now says: changed by the container\n';

test.each(['vfs', 'btrfs'] as const)('layers --storage-driver %s: every point holds, and says where this driver put the writes', async (driver) => {
  const r = await run(storage(driver, demoWrites), LAYERS_OUT);
  const text = r.after[0].text;
  expect(text).toMatch(new RegExp(`^${driver} keeps no upper dir`));
  expect(text).toMatch(/^ +C \/etc\/motd$/m);
  expect(text).toMatch(/^ +A \/tmp\/new$/m);
  expect(text).toMatch(/^ +D \/bin\/vi$/m);
  const claims = checkClaims(layers.claims ?? [], r);
  expect(claims.map((c) => c.held)).toEqual([true, true, true]);
  expect(claims[1].says).toContain(driver === 'vfs' ? "the container's full copy differs" : "the container's snapshot differs");
  expect(claims.map((c) => c.says).join(' ')).not.toContain('upper dir holds');
  if (driver === 'btrfs') expect(claims[2].says).toContain("top layer's subvolume");
});

test('layers --storage-driver vfs: a write the demo did not make is not passed off as its writes', async () => {
  const r = await run(storage('vfs', (rootfs) => (demoWrites(rootfs), writeFileSync(join(rootfs, 'etc', 'extra'), 'x'))), LAYERS_OUT);
  expect(checkClaims(layers.claims ?? [], r)[1].held).toBe(false);
  const missing = await run(storage('vfs', (rootfs) => writeFileSync(join(rootfs, 'tmp', 'new'), 'new\n')), LAYERS_OUT);
  expect(checkClaims(layers.claims ?? [], missing)[1].held).toBe(false);
});

test('aufs --storage-driver vfs: the driver line names the driver asked for, and the write is found in the copy', async () => {
  const r = await run(storage('vfs', (rootfs) => writeFileSync(join(rootfs, 'tmp', 'w'), 'written\n')), 'motd from layer 2\nw\n');
  r.before.push({ probe: 'union-filesystems', title: 'fs', text: 'nodev\toverlay\n(no aufs line: this kernel has no aufs)' });
  const claims = checkClaims(aufs.claims ?? [], r);
  expect(claims).toEqual([
    { says: 'the driver line names the driver asked for: vfs', held: true },
    { says: "the container read the image's layers and wrote into its own layer", held: true },
  ]);
});
