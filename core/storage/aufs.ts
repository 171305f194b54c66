import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HostContext } from '../plan/plan';
import { hasFilesystem } from '../support';
import type { StorageDriver } from './driver';
import { PAGE_SIZE } from './overlay2';

/**
 * aufs: the union filesystem Docker started with (on Ubuntu and Debian,
 * whose kernels carried the out-of-tree patch). One mount with a branch
 * list, `br:<rw branch>=rw:<layer>=ro+wh:...`, topmost first; `ro+wh` is a
 * read-only branch whose whiteouts still count. It was never merged into
 * Linux, so kit uses it only where /proc/filesystems lists aufs.
 * aufs records deletions as `.wh.<name>` files, not as overlay's 0/0
 * devices: layers in kit's store (overlay form) would need converting back
 * first, which the images part's OCI conversion does on export.
 */
export const aufs: StorageDriver = {
  name: 'aufs',
  unsupported: () => (hasFilesystem('aufs') ? undefined : 'this kernel has no aufs filesystem (grep aufs /proc/filesystems): it was never merged into Linux'),
  createRootfs(ctx: HostContext, layers: string[], dir: string): string {
    const rw = join(dir, 'diff');
    const merged = join(dir, 'mnt');
    for (const path of [rw, merged]) if (!existsSync(path)) mkdirSync(path, { recursive: true });
    const [first, ...more] = aufsMountData(rw, [...layers].reverse());
    ctx.changes.make({ op: 'umount', path: merged }, () =>
      ctx.trace.check('aufs: mount the container branch (rw) over the image layers (ro+wh)', (n) => n.mount('none', merged, 'aufs', 0, first)),
    );
    const MS_REMOUNT = 32;
    for (const data of more) {
      ctx.trace.check('aufs: the branch list exceeds a page: add the remaining layers by remount', (n) => n.mount('none', merged, 'aufs', MS_REMOUNT, data));
    }
    return merged;
  },
  upperDir: (dir) => join(dir, 'diff'),
  rootfsDir: (dir) => join(dir, 'mnt'),
};

/**
 * The mount data: the first mount names as many branches as fit in one page;
 * the rest are appended by remounts (`append:<layer>=ro+wh`), as Docker's
 * aufs driver did. dio: direct I/O; xino: aufs's inode translation table.
 */
export function aufsMountData(rw: string, lowersTopFirst: string[]): string[] {
  const tail = ',dio,xino=/dev/shm/aufs.xino';
  let first = `br:${rw}=rw`;
  let index = 0;
  while (index < lowersTopFirst.length) {
    const next = `${first}:${lowersTopFirst[index]}=ro+wh`;
    if (Buffer.byteLength(next + tail) > PAGE_SIZE - 1) break;
    first = next;
    index++;
  }
  return [first + tail, ...lowersTopFirst.slice(index).map((layer) => `append:${layer}=ro+wh`)];
}
