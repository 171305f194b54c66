import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kitPaths } from '../../core/paths';
import { btrfs } from '../../core/storage/btrfs';

test('kit info without root, PATH without /usr/sbin: btrfs is said to need root, not "apt-get install btrfs-progs" (which is installed)', () => {
  const root = mkdtempSync(join(tmpdir(), 'kit-btrfs-user-'));
  const uid = jest.spyOn(process, 'getuid').mockReturnValue(1000);
  const path = process.env.PATH;
  process.env.PATH = '/usr/bin:/bin';
  try {
    const why = btrfs.unsupported(kitPaths({ ...process.env, KIT_ROOT: root }));
    expect(why).not.toMatch(/apt-get/);
    expect(why).toMatch(/needs root|no btrfs filesystem/);
  } finally {
    process.env.PATH = path;
    uid.mockRestore();
    rmSync(root, { recursive: true, force: true });
  }
});
