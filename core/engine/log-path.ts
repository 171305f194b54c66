import { join } from 'node:path';
import { containerDir, type KitPaths } from '../paths';
import { readRecord, recordDir } from './record';

/**
 * Where a container's output is logged, whoever writes it (its shim, or the
 * foreground kit that runs it): with its record when it is kept (the log
 * outlives the run, for `kit logs` after the exit), else in its state dir
 * (gone with it: --rm leaves no log behind).
 */
export function logFile(paths: KitPaths, id: string): string {
  const dir = readRecord(paths, id) ? recordDir(paths, id) : containerDir(paths, id);
  return join(dir, 'container.log');
}
