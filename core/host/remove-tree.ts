import { renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * rm -rf in two steps: an atomic rename takes the tree off its name first,
 * so nobody (another kit reaping the same state dir) sees it half-removed.
 * The new name is hidden (a dot name), which readers of a state dir skip.
 */
export function removeTree(path: string): void {
  const doomed = join(dirname(path), `.${basename(path)}.removing-${process.pid}`);
  try {
    renameSync(path, doomed);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // already gone
    rmSync(path, { recursive: true, force: true }); // a mount point cannot be renamed (EBUSY)
    return;
  }
  rmSync(doomed, { recursive: true, force: true });
}
