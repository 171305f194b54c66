import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, readlinkSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { CorruptImageError } from './corrupt';

/**
 * The files of an unpacked image archive (or an OCI layout directory), as
 * its own metadata names them: manifest.json, index.json, configs, blobs.
 * That metadata is hostile input, and so are the archive's links. A member
 * is opened only when it is a regular file inside the archive:
 * - a path with '..' leaving the archive, or an absolute one, is refused;
 * - symlinks are resolved by kit, one component at a time, within the
 *   archive (`docker save` links a shared layer.tar to another one); a link
 *   pointing anywhere else is refused without looking there, so no error
 *   says whether, or what, a host file is;
 * - a FIFO, device or socket is refused before it is opened (opening a FIFO
 *   blocks, opening a device acts on it), and the final open is
 *   O_NOFOLLOW|O_NONBLOCK, checked again with fstat.
 */
const MAX_LINKS = 40; // the kernel's own limit on symlinks in one lookup (ELOOP)

export interface Member {
  /** The path on disk, inside the archive's directory. */
  path: string;
  stat: Stats;
}

export function resolveMember(root: string, rel: string, what: string): Member {
  if (typeof rel !== 'string' || rel === '') throw new CorruptImageError(`${what} has no file name`);
  if (rel.startsWith('/') || escapes(rel)) throw new CorruptImageError(`${what} '${rel}' points outside the archive`);
  const done: string[] = [];
  const todo = rel.split('/');
  let links = 0;
  while (todo.length > 0) {
    const part = todo.shift() as string;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (done.length === 0) throw new CorruptImageError(`${what} '${rel}' points outside the archive`);
      done.pop();
      continue;
    }
    const path = join(root, ...done, part);
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (!stat) throw new CorruptImageError(`${what} '${rel}' is missing from the archive`);
    if (stat.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw new CorruptImageError(`${what} '${rel}' goes through more than ${MAX_LINKS} symlinks`);
      const target = readlinkSync(path);
      if (target.startsWith('/')) throw new CorruptImageError(`${what} '${rel}' is a symlink out of the archive`);
      todo.unshift(...target.split('/'));
      continue;
    }
    if (todo.some((p) => p !== '' && p !== '.') && !stat.isDirectory()) throw new CorruptImageError(`${what} '${rel}': '${[...done, part].join('/')}' is not a directory`);
    done.push(part);
  }
  if (done.length === 0) throw new CorruptImageError(`${what} '${rel}' names the archive itself, not a file in it`);
  const path = join(root, ...done);
  const stat = lstatSync(path);
  if (!stat.isFile()) throw new CorruptImageError(`${what} '${rel}' is ${kindOf(stat)}, not a regular file`);
  return { path, stat };
}

/** Open a member for reading: the fd of the very file resolveMember checked. */
export function openMember(root: string, rel: string, what: string): { fd: number; size: number } {
  const member = resolveMember(root, rel, what);
  const fd = openSync(member.path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  const stat = fstatSync(fd);
  if (!stat.isFile() || stat.ino !== member.stat.ino || stat.dev !== member.stat.dev) {
    closeSync(fd);
    throw new CorruptImageError(`${what} '${rel}' changed while kit read it`);
  }
  return { fd, size: stat.size };
}

/** A member's bytes (manifest, index, config: small documents), at most `max` of them. */
export function readMember(root: string, rel: string, what: string, max = 16 << 20): Buffer {
  const { fd, size } = openMember(root, rel, what);
  try {
    if (size > max) throw new CorruptImageError(`${what} '${rel}' is ${size} bytes; a JSON document there is at most ${max}`);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A JSON member (manifest, index, config). */
export function readMemberJson(root: string, rel: string, what: string): unknown {
  return parseJson(readMember(root, rel, what), rel, what);
}

export function parseJson(data: Buffer, rel: string, what: string): unknown {
  try {
    return JSON.parse(data.toString('utf8'));
  } catch {
    throw new CorruptImageError(`${what} '${rel}' is not valid JSON`);
  }
}

/** Whether the archive has this member at all (a symlink out counts as no). */
export function hasMember(root: string, rel: string): boolean {
  try {
    resolveMember(root, rel, 'file');
    return true;
  } catch {
    return false;
  }
}

/** Whether the path, read as written, climbs above its start with '..'. */
function escapes(rel: string): boolean {
  let depth = 0;
  for (const part of rel.split('/')) {
    if (part === '..') depth--;
    else if (part !== '' && part !== '.') depth++;
    if (depth < 0) return true;
  }
  return false;
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device node';
  return 'not a file';
}
