import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { KitError } from '../errors';
import { readRegularFile } from '../host/regular-file';
import { parseOciConfig, type OciConfig } from './config';

/** A config.json is a few kilobytes (a seccomp profile makes it tens): past this it is not one. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

export interface Bundle {
  /** The bundle directory, with symlinks resolved. */
  dir: string;
  config: OciConfig;
  /** root.path, resolved and checked to be a directory (inside the bundle when given relative to it). */
  rootfs: string;
}

/**
 * An OCI bundle (a directory holding config.json and the root filesystem),
 * read as untrusted input: config.json must be a regular file (not a link,
 * not a FIFO) of bounded size, and root.path must stay inside the bundle
 * whether it climbs out with ".." or through a symlink.
 */
export function readBundle(bundleDir: string): Bundle {
  let dir: string;
  try {
    dir = realpathSync(bundleDir);
  } catch (err) {
    throw new KitError(`bundle ${bundleDir}: ${(err as NodeJS.ErrnoException).code}`, 'give the directory that holds config.json (--bundle)');
  }
  const config = parseOciConfig(parseJson(readConfigFile(join(dir, 'config.json'))));
  return { dir, config, rootfs: rootfsIn(dir, config.root.path) };
}

/** A small JSON file read as untrusted input: regular (not a link, not a FIFO), bounded in size. */
export function readConfigFile(path: string): string {
  return readRegularFile(path, {
    what: path,
    maxBytes: MAX_CONFIG_BYTES,
    limitText: 'a config.json (4 MiB at most)',
    noFollow: true,
    fix: { open: 'write one with `kit runtime spec` in the bundle directory', special: 'config.json must be a plain JSON file', size: 'check that it is the right file' },
  });
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new KitError(`config.json is not JSON: ${(err as Error).message}`, 'fix the syntax, or start again from `kit runtime spec`');
  }
}

/**
 * root.path -> its real path. Relative, it must stay inside the bundle, by
 * ".." or by symlink. Absolute, it is where the caller put the root
 * filesystem (podman: its storage's overlay "merged" directory), as runc
 * takes it; it must still be a directory and not "/" itself.
 */
export function rootfsIn(bundleDir: string, rootPath: string): string {
  const fix = 'put the root filesystem inside the bundle directory (root.path "rootfs" is the usual)';
  if (isAbsolute(rootPath)) return absoluteRootfs(rootPath);
  const lexical = resolve(bundleDir, rootPath);
  if (!inside(bundleDir, lexical)) throw new KitError(`root.path: "${rootPath}" is outside the bundle ${bundleDir}`, fix);
  let real: string;
  try {
    real = realpathSync(lexical);
  } catch (err) {
    throw new KitError(`root.path: "${rootPath}": ${(err as NodeJS.ErrnoException).code}`, 'create the root filesystem directory (e.g. mkdir rootfs and unpack an image into it)');
  }
  if (!inside(bundleDir, real)) throw new KitError(`root.path: "${rootPath}" leads outside the bundle (to ${real}) through a symlink`, fix);
  if (!statSync(real).isDirectory()) throw new KitError(`root.path: "${rootPath}" is not a directory`, fix);
  return real;
}

function absoluteRootfs(rootPath: string): string {
  let real: string;
  try {
    real = realpathSync(rootPath);
  } catch (err) {
    throw new KitError(`root.path: "${rootPath}": ${(err as NodeJS.ErrnoException).code}`, 'give the directory that holds the root filesystem');
  }
  if (real === '/') throw new KitError(`root.path: "${rootPath}" is the host's own /`, 'give a directory holding the container\'s root filesystem');
  if (!statSync(real).isDirectory()) throw new KitError(`root.path: "${rootPath}" is not a directory`, 'give the directory that holds the root filesystem');
  return real;
}

/** Strictly below dir (the bundle itself is not a root filesystem). */
function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`);
}
