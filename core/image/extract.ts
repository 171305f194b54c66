import { closeSync, constants, fchmodSync, fchownSync, futimesSync, linkSync, lstatSync, lchownSync, lutimesSync, mkdirSync, openSync, symlinkSync, writeSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { removeAll } from '../host/remove-tree';
import { KitError } from '../errors';
import { S_IF } from '../linux';
import { TraceRecorder } from '../trace/recorder';
import { NAME_MAX, PATH_MAX, type Budget } from './limits';
import type { TarEntry } from './tar/reader';
import { makeWhiteout, markOpaque, ociMarker, untraced } from '../storage/whiteout';

/** A tar entry kit refuses to extract, because it could write outside the target. */
export class UnsafeEntryError extends KitError {
  constructor(entry: string, reason: string) {
    super(`refused tar entry '${shortName(entry)}': ${reason}`, 'the archive is unsafe or damaged; nothing was written outside the target directory and nothing was stored');
  }
}

export interface ExtractOptions {
  /** Turn OCI whiteout markers into overlay whiteouts (image layers do; outer archives do not). */
  whiteouts: boolean;
  /** Counts entries against --max-entries and holds --max-path. */
  budget?: Budget;
}

interface DirMeta {
  path: string;
  entry: TarEntry;
}

/**
 * Extract a tar into `root`, treating every entry as hostile (layer tars
 * come from anywhere):
 * - absolute paths and `..` components are refused, never "cleaned";
 * - each parent directory is checked with lstat, and an entry below a
 *   symlink is refused: kit never writes through a symlink, so a tar that
 *   plants `etc -> /etc` and then writes `etc/passwd` cannot reach the host;
 * - an existing path is unlinked before it is replaced, and files are opened
 *   with O_NOFOLLOW|O_EXCL, so a planted symlink is never followed;
 * - hard links must name an existing regular file inside root: never a
 *   symlink (metadata calls on the link would reach its target), a device,
 *   a FIFO or a directory;
 * - device nodes need root (as they do for Docker);
 * - names longer than the kernel takes (NAME_MAX per component, PATH_MAX in
 *   all, --max-path) are one clear error, not a raw ENAMETOOLONG.
 * Modes, owners (when root) and mtimes are kept on a regular file's own fd,
 * and on other entries with the no-follow calls (lchown, fchmodat
 * AT_SYMLINK_NOFOLLOW, lutimes); directories get theirs last, since writing
 * their children changes them.
 */
export async function extractTar(entries: AsyncIterable<TarEntry>, root: string, options: ExtractOptions): Promise<void> {
  const dirs: DirMeta[] = [];
  for await (const entry of entries) {
    options.budget?.addEntry();
    try {
      await extractEntry(entry, root, options, dirs);
    } catch (err) {
      if (err instanceof KitError || !(err as NodeJS.ErrnoException).code) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      // Not the archive's fault: the disk (or the user's quota) is full.
      if (code === 'ENOSPC' || code === 'EDQUOT') throw new KitError(`no space left for '${shortName(entry.path)}' (${code}): the import was stopped and nothing was stored`, "free some space on the disk of kit's data dir (`kit image rm` images you no longer need), then import again");
      // Whatever the kernel refused (EEXIST, ENOTDIR...): one line naming the entry.
      throw new UnsafeEntryError(entry.path, `it could not be written (${(err as NodeJS.ErrnoException).code})`);
    }
  }
  // Deepest first, so setting a parent's mtime comes after its children changed it.
  // A later entry may have replaced a directory (or one of its parents) by a
  // symlink: chmod follows symlinks, so each path is checked again first.
  for (const dir of dirs.reverse()) if (isRealDirectory(root, dir.path)) applyMeta(dir.path, dir.entry);
}

async function extractEntry(entry: TarEntry, root: string, options: ExtractOptions, dirs: DirMeta[]): Promise<void> {
  const parts = safeParts(entry.path, entry.path);
  checkLength(root, parts, entry.path, options.budget?.limits.maxPath ?? PATH_MAX - 1);
  if (parts.length === 0) {
    if (entry.type !== 'dir') throw new UnsafeEntryError(entry.path, 'it names the target directory itself but is not a directory');
    dirs.push({ path: root, entry });
    return;
  }
  const parent = ensureParents(root, parts.slice(0, -1), entry.path);
  const name = parts[parts.length - 1];
  const marker = options.whiteouts ? markerOf(name, entry.path) : undefined;
  if (marker?.kind === 'opaque') {
    markOpaque(untraced, parent, 'an OCI opaque marker becomes the overlay opaque xattr');
    return;
  }
  const target = join(parent, marker?.kind === 'whiteout' ? marker.name : name);
  removeExisting(target, entry.type === 'dir');
  if (marker) makeWhiteout(untraced, target, 'an OCI whiteout becomes an overlay whiteout (char device 0/0)');
  else await create(root, target, entry);
  if (entry.type === 'dir') dirs.push({ path: target, entry });
  else if (!marker && entry.type !== 'file') applyMeta(target, entry); // a file got its own on its fd
}

/** Path components of a tar name, refusing what could leave the target. */
function safeParts(path: string, entryName: string): string[] {
  if (path.startsWith('/')) throw new UnsafeEntryError(entryName, 'it has an absolute path');
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new UnsafeEntryError(entryName, "it has a '..' component");
  return parts;
}

/** The kernel's name limits, and --max-path, as one clear line instead of ENAMETOOLONG. */
function checkLength(root: string, parts: string[], entryName: string, maxPath: number): void {
  const long = parts.find((p) => Buffer.byteLength(p) > NAME_MAX);
  if (long) throw new UnsafeEntryError(entryName, `a name in its path is ${Buffer.byteLength(long)} bytes; Linux allows ${NAME_MAX} (NAME_MAX)`);
  const bytes = Buffer.byteLength(parts.join('/'));
  if (bytes > maxPath) throw new UnsafeEntryError(entryName, `its path is ${bytes} bytes (${parts.length} levels deep), over the limit of ${maxPath} (--max-path)`);
  const full = Buffer.byteLength(join(root, ...parts));
  if (full > PATH_MAX - 1) throw new UnsafeEntryError(entryName, `its path is ${full} bytes under kit's data dir; Linux allows ${PATH_MAX - 1} (PATH_MAX)`);
}

/** A link target longer than the kernel takes: one clear line, not ENAMETOOLONG. */
function checkLinkLength(entry: TarEntry, kind: string): void {
  const bytes = Buffer.byteLength(entry.linkpath);
  if (bytes > PATH_MAX - 1) throw new UnsafeEntryError(entry.path, `its ${kind} target is ${bytes} bytes; Linux allows ${PATH_MAX - 1} (PATH_MAX)`);
}

/** A name fit for one line: a path thousands of bytes long is cut in the middle. */
function shortName(name: string): string {
  return name.length <= 120 ? name : `${name.slice(0, 60)}...${name.slice(-50)} (${Buffer.byteLength(name)} bytes)`;
}

function markerOf(name: string, entryName: string) {
  try {
    return ociMarker(name);
  } catch (err) {
    throw new UnsafeEntryError(entryName, (err as Error).message);
  }
}

/** Create missing parents; refuse to pass through a symlink or a non-directory. */
function ensureParents(root: string, parts: string[], entryName: string): string {
  let dir = root;
  for (let i = 0; i < parts.length; i++) {
    dir = join(dir, parts[i]);
    const stat = lstatSync(dir, { throwIfNoEntry: false });
    if (!stat) mkdirSync(dir, 0o755);
    else if (stat.isSymbolicLink()) throw new UnsafeEntryError(entryName, `it would be written through the symlink '${parts.slice(0, i + 1).join('/')}'`);
    else if (!stat.isDirectory()) throw new UnsafeEntryError(entryName, `'${parts.slice(0, i + 1).join('/')}' is not a directory`);
  }
  return dir;
}

/** A later entry replaces an earlier one; a directory stays (and is merged into). */
function removeExisting(path: string, keepDirectory: boolean): void {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (stat && !(keepDirectory && stat.isDirectory())) removeAll(path);
}

async function create(root: string, path: string, entry: TarEntry): Promise<void> {
  switch (entry.type) {
    case 'file':
      return writeFile(path, entry);
    case 'dir':
      if (!lstatSync(path, { throwIfNoEntry: false })) mkdirSync(path, 0o700);
      return;
    case 'symlink':
      // Its target is only data here: kit never follows it while extracting.
      if (!entry.linkpath) throw new UnsafeEntryError(entry.path, 'it is a symlink with an empty target');
      checkLinkLength(entry, 'symlink');
      return symlinkSync(entry.linkpath, path);
    case 'hardlink':
      return linkSync(hardlinkTarget(root, entry), path);
    case 'char':
    case 'block':
      if (process.getuid?.() !== 0) throw new UnsafeEntryError(entry.path, `it is a ${entry.type} device node (${entry.devmajor}:${entry.devminor}), and only root may create device nodes`);
      return mknod(path, (entry.type === 'char' ? S_IF.CHR : S_IF.BLK) | entry.mode, entry.devmajor, entry.devminor);
    case 'fifo':
      return mknod(path, S_IF.FIFO | entry.mode, 0, 0);
  }
}

/**
 * The file's bytes, written as they arrive, then its owner, mode and times,
 * set on the open fd (the file just created, whatever happens to its name;
 * no path walked again). The open, the writes and the
 * close are synchronous: each chunk is already in memory, and an async call
 * would be a round trip through libuv's thread pool and back, several per
 * file; the archive's reads still yield, so Ctrl-C is seen between chunks.
 */
async function writeFile(path: string, entry: TarEntry): Promise<void> {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    for await (const chunk of entry.body()) {
      for (let done = 0; done < chunk.length; ) done += writeSync(fd, chunk, done);
    }
    // chown first: it clears setuid/setgid bits, which chmod then restores; the times last, after every write.
    if (process.getuid?.() === 0) fchownSync(fd, entry.uid, entry.gid);
    fchmodSync(fd, entry.mode);
    futimesSync(fd, entry.mtime, entry.mtime);
  } finally {
    closeSync(fd);
  }
}

/** A hard link's target: an existing regular file inside root, reached without symlinks. */
function hardlinkTarget(root: string, entry: TarEntry): string {
  checkLinkLength(entry, 'hard link');
  const parts = safeParts(entry.linkpath, entry.path);
  let path = root;
  for (const [i, part] of parts.entries()) {
    path = join(path, part);
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (!stat) throw new UnsafeEntryError(entry.path, `it is a hard link to '${entry.linkpath}', which is not in the archive before it`);
    if (i < parts.length - 1 && !stat.isDirectory()) throw new UnsafeEntryError(entry.path, `its hard link target '${entry.linkpath}' passes through '${parts.slice(0, i + 1).join('/')}', which is not a directory`);
    if (i === parts.length - 1 && !stat.isFile()) throw new UnsafeEntryError(entry.path, `it is a hard link to ${linkKind(stat)} '${entry.linkpath}'; only regular files may be hard linked`);
  }
  if (parts.length === 0) throw new UnsafeEntryError(entry.path, 'it is a hard link to the target directory itself');
  return path;
}

function linkKind(stat: Stats): string {
  if (stat.isDirectory()) return 'the directory';
  if (stat.isSymbolicLink()) return 'the symlink';
  return 'the special file';
}

function isRealDirectory(root: string, path: string): boolean {
  const parts = path.slice(root.length).split('/').filter(Boolean);
  return parts.every((_, i) => lstatSync(join(root, ...parts.slice(0, i + 1)), { throwIfNoEntry: false })?.isDirectory() === true);
}

/**
 * Owner, mode and times of the path itself, never of what a symlink there
 * points at: every call is a no-follow one.
 */
function applyMeta(path: string, entry: TarEntry): void {
  // chown first: it clears setuid/setgid bits, which chmod then restores.
  if (process.getuid?.() === 0) lchownSync(path, entry.uid, entry.gid);
  if (entry.type !== 'symlink') new TraceRecorder().check('keep the mode of a file from the image', (n) => n.lchmod(path, entry.mode));
  lutimesSync(path, entry.mtime, entry.mtime);
}

function mknod(path: string, mode: number, major: number, minor: number): void {
  new TraceRecorder().check('create a device node or fifo from the image', (n) => n.mknod(path, mode, major, minor));
}

