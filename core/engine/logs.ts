import { existsSync, readFileSync } from 'node:fs';
import { KitError } from '../errors';
import type { KitPaths } from '../paths';
import { logFiles } from './shim';
import type { ContainerState } from './state';

/** What a detached container has written so far (`kit logs`). */
export function readLogs(paths: KitPaths, state: ContainerState): { stdout: string; stderr: string } {
  const files = logFiles(paths, state.id);
  if (!existsSync(files.stdout)) {
    throw new KitError(`container ${state.name} runs in the foreground: its output goes to the terminal of the kit that started it`, 'only containers started with -d have logs');
  }
  return { stdout: readFileSync(files.stdout, 'utf8'), stderr: readFileSync(files.stderr, 'utf8') };
}
