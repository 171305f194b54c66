import { self } from '../host/process';
import { kitPaths, type KitPaths } from '../paths';
import type { HostContext } from '../plan';
import { defaultSpec } from '../spec';
import type { TraceEvent } from '../trace/event';
import { TraceRecorder } from '../trace/recorder';
import { createStateDir } from './run';
import { reapOrphans } from './state';
import { randomHex } from '../host/random-hex';

/**
 * Host changes made outside a container run (a build step's intermediate
 * image and kept container layer, a chapter's container layer kept for its
 * last probes): journaled in a state dir of their own exactly like a
 * container's, so they are undone when `work` ends, and by the next kit if
 * this one is killed.
 */
export async function withHostChanges<T>(
  name: string,
  work: (ctx: HostContext) => T | Promise<T>,
  options: { paths?: KitPaths; onEvent?: (event: TraceEvent) => void } = {},
): Promise<T> {
  const paths = options.paths ?? kitPaths();
  reapOrphans(paths);
  const id = randomHex(6);
  const spec = { ...defaultSpec([]), name };
  const trace = new TraceRecorder(options.onEvent);
  const changes = createStateDir(paths, { id, name, spec, createdAt: new Date().toISOString(), owner: self() }, trace);
  try {
    return await work({ id, spec, paths, trace, changes, pid: 0, notes: [] });
  } finally {
    trace.currentWhy = undefined;
    changes.undoAll();
  }
}
