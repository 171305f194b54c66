import { removeTree } from './remove-tree';
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
