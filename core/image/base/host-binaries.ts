import { spawnSync } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { LayerEntry } from './entries';

const HOST_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** A program on the host's PATH, or undefined. */
export function findHostProgram(name: string): string | undefined {
  for (const dir of HOST_PATH) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return realpathSync(file);
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * Host programs copied into the layer as /bin/<name>, with every shared
 * library `ldd` says they load (the dynamic loader included) at the same
 * path as on the host: a dynamically linked program runs in a rootfs only
 * if its loader and libraries are there too, the usual reason a hand-made
 * rootfs fails with "no such file or directory" on a file that exists.
 */
export function hostProgramEntries(programs: Array<{ name: string; file: string }>): LayerEntry[] {
  const entries = new Map<string, LayerEntry>();
  for (const { name, file } of programs) {
    entries.set(`bin/${name}`, { kind: 'file', path: `bin/${name}`, mode: 0o755, copyOf: file });
    for (const lib of sharedLibraries(file)) {
      const path = lib.replace(/^\/+/, '');
      entries.set(path, { kind: 'file', path, mode: 0o755, copyOf: realpathSync(lib) });
    }
  }
  return [...entries.values()];
}

/** The absolute paths `ldd` lists for a program; none for a static one. */
function sharedLibraries(file: string): string[] {
  const out = spawnSync('ldd', [file], { encoding: 'utf8' });
  if (out.status !== 0) return [];
  return out.stdout
    .split('\n')
    .map((line) => /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line)?.[1])
    .filter((lib): lib is string => lib !== undefined);
}
