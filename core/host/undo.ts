import { renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { TraceRecorder } from '../trace/recorder';

/**
 * How to undo one host change. Records are data (JSON in the journal), so a
 * later kit process can replay what an earlier one journaled.
 */
export type Undo =
  /** A directory kit created (a cgroup, a mount point). */
  | { op: 'rmdir'; path: string }
  /** A mount kit made on the host. */
  | { op: 'umount'; path: string }
  /** A file or tree kit wrote (state files, a container's layer). */
  | { op: 'remove'; path: string };

const ENOENT = -2;
const EINVAL = -22;

/** Undo one change; returns a one-line problem, or undefined when done. */
export function undo(record: Undo, trace: TraceRecorder): string | undefined {
  switch (record.op) {
    case 'rmdir': {
      const ret = trace.host('undo: remove the directory kit made', (n) => n.rmdir(record.path));
      return ret < 0 && ret !== ENOENT ? `could not remove ${record.path} (errno ${-ret})` : undefined;
    }
    case 'umount': {
      const MNT_DETACH = 2;
      const ret = trace.host('undo: detach the mount kit made', (n) => n.umount2(record.path, MNT_DETACH));
      return ret < 0 && ret !== ENOENT && ret !== EINVAL ? `could not unmount ${record.path} (errno ${-ret})` : undefined;
    }
    case 'remove':
      removeTree(record.path);
      return undefined;
  }
}

/**
 * rm -rf in two steps: an atomic rename takes the tree off its name first,
 * so nobody (another kit reaping the same state dir) sees it half-removed.
 * The new name is hidden (a dot name), which readers of a state dir skip.
 */
function removeTree(path: string): void {
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
