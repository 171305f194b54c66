import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { KitError } from '../errors';
import type { IdMapping, IdMaps } from './id-map';

/**
 * The uid and gid maps of an existing user namespace, from the file naming
 * it. /proc/PID/ns/user: its process's /proc/PID/uid_map. Any other file
 * (a bind mount under /run): read from inside it, as runc does with a
 * helper process, here nsenter, keeping our ids (an unmapped uid cannot
 * become root there).
 */
export function readIdMaps(path: string): IdMaps {
  const proc = /^\/proc\/(\d+|self)\/ns\/user$/.exec(path);
  const read = (kind: 'uid' | 'gid') => (proc ? readProc(`/proc/${proc[1]}/${kind}_map`, path) : readInside(path, kind));
  return { uid: parseMap(read('uid')), gid: parseMap(read('gid')) };
}

function readProc(file: string, path: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new KitError(`the user namespace at ${path}: ${file} cannot be read (${(err as NodeJS.ErrnoException).code})`, 'is its process still running?');
  }
}

function readInside(path: string, kind: 'uid' | 'gid'): string {
  const r = spawnSync('nsenter', [`--user=${path}`, '--preserve-credentials', '--', 'cat', `/proc/self/${kind}_map`], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) throw new KitError(`the user namespace at ${path}: its ${kind} map cannot be read (${(r.stderr || r.error?.message || '').trim()})`, 'give a user namespace file, e.g. /proc/PID/ns/user');
  return r.stdout;
}

/** "inside outside count" lines (the kernel's format). */
function parseMap(text: string): IdMapping[] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter((f) => f.length === 3 && f.every(Number.isInteger))
    .map(([inside, outside, count]) => ({ inside, outside, count }));
}
