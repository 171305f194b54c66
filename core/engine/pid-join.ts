import { CLONE } from '../linux';
import type { TraceRecorder } from '../trace/recorder';

/**
 * Clone the container's first process into an existing PID namespace (an
 * OCI config's linux.namespaces pid path). setns(CLONE_NEWPID) never moves
 * the caller: it sets the namespace its next children are born in. runc's
 * nsexec joins it, then forks the container's init; kit makes the same
 * two calls around its clone(), on its own thread: the kernel allows this
 * join to a multi-threaded process, and it changes only the calling thread.
 * The thread goes back to its own namespace for children right after, so
 * nothing else kit starts lands there.
 */
export function cloneInPidNamespace(trace: TraceRecorder, path: string | undefined, clone: () => number): number {
  if (path === undefined) return clone();
  const own = trace.check('hold our own PID namespace for children open, to come back to it after the clone', (n) => n.openRead('/proc/thread-self/ns/pid_for_children'));
  try {
    trace.check(`join the PID namespace at ${path} for our next child only (the config's path): the container's first process is born in it`, (n) => n.setns(path, CLONE.NEWPID));
    try {
      return clone();
    } finally {
      trace.check("back to our own PID namespace for children: nothing else kit starts lands in the container's", (n) => n.setnsFd(own, CLONE.NEWPID));
    }
  } finally {
    trace.host(undefined, (n) => n.close(own));
  }
}
