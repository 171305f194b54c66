import { spawnSync } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * rm -rf in two steps: an atomic rename takes the tree off its name first,
 * so nobody (another kit reaping the same state dir) sees it half-removed.
 * The new name is hidden (a dot name), which readers of a state dir skip.
 * Returns a one-line problem, or undefined when the tree is gone.
 */
export function removeTree(path: string): string | undefined {
  const doomed = join(dirname(path), `.${basename(path)}.removing-${process.pid}`);
  let target = doomed;
  try {
    renameSync(path, doomed);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined; // already gone
    // EBUSY: something is still mounted on it. rm -rf would delete the files
    // of whatever is mounted there (a bind of a host directory): leave it.
    if (code === 'EBUSY') return `could not remove ${path}: something is mounted on it`;
    target = path; // the hidden name is taken (a removal that died half-way): remove in place
  }
  try {
    removeAll(target);
    return undefined;
  } catch (err) {
    return `could not remove ${path} (${(err as NodeJS.ErrnoException).code})`;
  }
}

/**
 * rm -rf of a tree whose depth came from input (an image layer, what a
 * container wrote): Node's recursive rmSync recurses in JavaScript and
 * overflows the stack near two thousand levels, and absolute paths stop at
 * PATH_MAX. Such a tree is handed to rm(1), which walks any depth with
 * openat() and stays on this filesystem (never into a mount inside).
 */
export function removeAll(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!(err instanceof RangeError) && code !== 'ENAMETOOLONG') throw err;
    const r = spawnSync('rm', ['-rf', '--one-file-system', '--', path], { encoding: 'utf8' });
    if (r.status !== 0) throw Object.assign(new Error(`rm -rf ${path}: ${r.stderr.trim()}`), { code: 'EIO' });
  }
}
