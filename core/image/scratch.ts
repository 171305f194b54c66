import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, processStartTime, self } from '../host/process';
import type { KitPaths } from '../paths';

/**
 * Scratch space for an import or export, under <data>/tmp and named after
 * the kit process (pid and start time). A kit killed with SIGKILL cannot
 * clean up after itself, so each new import or export first removes what
 * dead kit processes left: their scratch dirs and their half-added layers.
 */
export function scratchDir(paths: KitPaths, kind: 'import' | 'export'): string {
  removeAbandoned(paths);
  const { pid, startTime } = self();
  mkdirSync(join(paths.data, 'tmp'), { recursive: true });
  return mkdtempSync(join(paths.data, 'tmp', `${kind}-${pid}-${startTime}-`));
}

function removeAbandoned(paths: KitPaths): void {
  removeWhereOwnerDied(join(paths.data, 'tmp'), /^(?:import|export)-(\d+)-(\d+)-/, (pid, startTime) => isAlive({ pid, startTime }));
  // ImageStore.addLayer names its work dirs .tmp-<hex>-<pid>-<time>, addReadLayer .tmp-import-<pid>-<time>-<random>.
  removeWhereOwnerDied(join(paths.data, 'layers'), /^\.tmp-(?:[0-9a-f]{64}|import)-(\d+)-\d+(?:-[0-9a-f]+)?$/, (pid) => processStartTime(pid) !== undefined);
}

function removeWhereOwnerDied(dir: string, pattern: RegExp, alive: (pid: number, startTime: number) => boolean): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const match = pattern.exec(name);
    if (match && !alive(Number(match[1]), Number(match[2]))) rmSync(join(dir, name), { recursive: true, force: true });
  }
}
