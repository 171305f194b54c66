import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { KitError } from '../errors';

/** What to call a small input file in kit's one line, and the fix for each way it can be wrong. */
export interface RegularFileInput {
  /** e.g. "seccomp profile /x.json": "cannot read <what>", "<what> is not a regular file". */
  what: string;
  maxBytes: number;
  /** "more than <limitText>" when it is larger, e.g. "a profile (1 MiB at most)". */
  limitText: string;
  fix: string | { open: string; special: string; size: string };
  /** Refuse a symlink in the last place (config.json in a bundle). */
  noFollow?: boolean;
}

/**
 * A small text file given by the user (a Kitfile, a seccomp profile, an OCI
 * config.json), read as untrusted input: opened O_NONBLOCK, so a FIFO there
 * never waits for a writer, then fstat'ed on that same descriptor: only a
 * regular file of at most maxBytes is read (never /dev/zero, a FIFO, a
 * directory, or a file that grows while kit reads it).
 */
export function readRegularFile(path: string, input: RegularFileInput): string {
  const fix = typeof input.fix === 'string' ? { open: input.fix, special: input.fix, size: input.fix } : input.fix;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (input.noFollow ? constants.O_NOFOLLOW : 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new KitError(`cannot read ${input.what}: ${code === 'ELOOP' && input.noFollow ? 'it is a symlink' : code}`, fix.open);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new KitError(`${input.what} is not a regular file`, fix.special);
    if (stats.size > input.maxBytes) throw new KitError(`${input.what} is ${stats.size} bytes, more than ${input.limitText}`, fix.size);
    const buffer = Buffer.alloc(stats.size);
    const n = readSync(fd, buffer, 0, stats.size, 0);
    return buffer.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
