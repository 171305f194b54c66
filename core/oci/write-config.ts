import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { KitError } from '../errors';
import { defaultOciConfig } from './default-config';

/**
 * `kit runtime spec DIR` / `kit-runtime spec`: DIR/config.json with kit's
 * default config. As runc spec, an existing file is never overwritten; the
 * file is created exclusively, so a symlink planted at its name is refused.
 */
export function writeDefaultConfig(dir: string): string {
  const path = join(dir, 'config.json');
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new KitError(`${path} exists`, 'remove it first (kit never overwrites a config)');
    throw new KitError(`cannot create ${path}: ${code}`, 'give a directory you can write to');
  }
  try {
    writeSync(fd, JSON.stringify(defaultOciConfig(), null, 2) + '\n');
  } finally {
    closeSync(fd);
  }
  return path;
}
