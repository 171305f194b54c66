import { rmSync } from 'node:fs';
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
  | { op: 'remove'; path: string }
  /** A System V message queue kit made on the host (the ipc chapter). */
  | { op: 'msgrm'; key: number };

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
    case 'msgrm': {
      const ret = trace.host('undo: remove the message queue kit made', (n) => n.msgRemove(record.key));
      return ret < 0 && ret !== ENOENT ? `could not remove message queue key ${record.key} (errno ${-ret})` : undefined;
    }
    case 'remove':
      rmSync(record.path, { recursive: true, force: true });
      return undefined;
  }
}
