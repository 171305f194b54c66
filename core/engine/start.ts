import { KitError } from '../errors';
import type { KitPaths } from '../paths';
import { attachContainer, runAttached, type AttachEnd, type AttachOptions } from './attach';
import { startDetached, type Detached } from './detached';
import { findAnyContainer } from './names';
import { updateRecord } from './record';
import { stopContainer } from './stop';

/**
 * `kit start`: run a kept container again, detached, with the spec it was
 * made with, its id, name, layer and log (appended to), as `docker start`
 * does. One that is running is left as it is.
 */
export async function startContainer(paths: KitPaths, ref: string, shim: string[]): Promise<Detached | undefined> {
  const c = findAnyContainer(paths, ref);
  if (c.running) return undefined;
  if (!c.record) throw new KitError(`container ${c.name} cannot be started again`, 'it runs with --rm and is removed when it ends');
  updateRecord(paths, c.id, (r) => ({ ...r, manuallyStopped: false }));
  return startDetached(c.record.spec, shim, paths, c.id);
}

/**
 * `kit start -a` (and -i): as `kit start`, with this kit attached to the
 * container from before its command runs (so none of its output is missed),
 * as `docker start -a` attaches before it starts. One already running is
 * attached to as it is.
 */
export async function startAttached(paths: KitPaths, ref: string, shim: string[], options: AttachOptions): Promise<AttachEnd> {
  const c = findAnyContainer(paths, ref);
  if (c.running) return attachContainer(paths, c.running, options);
  if (!c.record) throw new KitError(`container ${c.name} cannot be started again`, 'it runs with --rm and is removed when it ends');
  updateRecord(paths, c.id, (r) => ({ ...r, manuallyStopped: false }));
  return runAttached(c.record.spec, shim, paths, options, c.id);
}

/** Whether `kit start -a` of this container gets a terminal (it was made with -t). */
export function startsWithTerminal(paths: KitPaths, ref: string): boolean {
  const c = findAnyContainer(paths, ref);
  return (c.running?.spec ?? c.record?.spec)?.tty !== undefined;
}

/** `kit restart`: stop (SIGTERM, then SIGKILL after the grace period) if running, then start. */
export async function restartContainer(paths: KitPaths, ref: string, graceMs: number | undefined, shim: string[]): Promise<Detached | undefined> {
  const c = findAnyContainer(paths, ref);
  if (c.running) await stopContainer(paths, c.running, graceMs);
  return startContainer(paths, c.id, shim);
}
