import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KitError } from '../errors';
import type { KitPaths } from '../paths';
import { removeTree } from '../host/remove-tree';

/**
 * Named volumes, as Docker keeps them: a directory per volume,
 * <data>/volumes/<name>/_data, bind-mounted into the containers that name
 * it (-v NAME:/path). It outlives them: only `kit volume rm` deletes it.
 */
export interface Volume {
  name: string;
  createdAt: string;
  /** The directory that is mounted (Docker's Mountpoint). */
  mountpoint: string;
}

const VALID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

function volumesDir(paths: KitPaths): string {
  return join(paths.data, 'volumes');
}

export function checkVolumeName(name: string): void {
  if (!VALID.test(name) || name.length > 128) throw new KitError(`invalid volume name '${name}'`, 'use letters, digits and _ . - (starting with a letter or digit)');
}

/** The volume, made if it does not exist yet (docker run -v NAME:/path creates it too). */
export function ensureVolume(paths: KitPaths, name: string): Volume {
  checkVolumeName(name);
  const dir = join(volumesDir(paths), name);
  const existing = readVolume(paths, name);
  if (existing) return existing;
  mkdirSync(join(dir, '_data'), { recursive: true, mode: 0o755 });
  const volume: Volume = { name, createdAt: new Date().toISOString(), mountpoint: join(dir, '_data') };
  writeFileSync(join(dir, 'volume.json'), JSON.stringify(volume, null, 2));
  return volume;
}

export function readVolume(paths: KitPaths, name: string): Volume | undefined {
  try {
    return JSON.parse(readFileSync(join(volumesDir(paths), name, 'volume.json'), 'utf8')) as Volume;
  } catch {
    return undefined;
  }
}

export function listVolumes(paths: KitPaths): Volume[] {
  const dir = volumesDir(paths);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => readVolume(paths, name) ?? []);
}

/** `kit volume rm`: refused while a container (running or kept) names it, as Docker refuses. */
export function removeVolume(paths: KitPaths, name: string, usedBy: string[]): void {
  if (!readVolume(paths, name)) throw new KitError(`no such volume: ${name}`, '`kit volume ls` lists them');
  if (usedBy.length > 0) throw new KitError(`volume ${name} is in use by container ${usedBy.join(', ')}`, `remove the container first (kit rm ${usedBy[0]})`);
  const problem = removeTree(join(volumesDir(paths), name));
  if (problem) throw new KitError(problem, 'is something mounted on it?');
}
