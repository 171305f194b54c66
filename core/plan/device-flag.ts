import { lstatSync, realpathSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { KitError } from '../errors';
import type { DeviceMapping } from '../spec';
import { DEVICES } from './dev';

/** What kit makes in every container's /dev: a --device may not land on one of them. */
const MADE = new Set(['/dev/pts', '/dev/shm', '/dev/ptmx', '/dev/fd', '/dev/stdin', '/dev/stdout', '/dev/stderr', '/dev/console', '/dev/mqueue', ...DEVICES.map(([name]) => `/dev/${name}`)]);

/**
 * docker run --device HOST[:CTR[:PERMS]] (HOST:PERMS too, as Docker reads
 * a second part made only of r, w, m): the host node is looked at now, so
 * a path that is no device node is refused before anything is made. A
 * symlink on the host (/dev/disk/by-id/...) is followed, as Docker does.
 */
export function parseDevice(text: string): DeviceMapping {
  const parts = text.split(':');
  if (parts.length > 3 || !parts[0]) throw new KitError(`bad --device '${text}'`, 'use HOST[:CONTAINER[:PERMS]], e.g. --device /dev/loop0 or --device /dev/sdb:/dev/xvdc:r');
  const [host] = parts;
  let [, ctr, perms] = parts;
  if (parts.length === 2 && /^[rwm]+$/.test(ctr)) [ctr, perms] = [undefined as unknown as string, ctr];
  const path = ctr || host;
  const access = perms ?? 'rwm';
  if (!/^[rwm]{1,3}$/.test(access) || new Set(access).size !== access.length) throw new KitError(`bad --device '${text}': '${access}' is not a set of permissions`, 'use r, w and m (mknod) in any order, e.g. rw');
  if (!host.startsWith('/')) throw new KitError(`bad --device '${text}': ${host} is not an absolute path`, 'give the host node from /, e.g. /dev/loop0');
  const hostPath = realHost(text, host);
  const node = nodeOf(text, host);
  if (!path.startsWith('/dev/') || posix.normalize(path) !== path) throw new KitError(`bad --device '${text}': kit makes device nodes in the container's /dev, and ${path} is not a clean path under it`, `say where inside, e.g. --device ${host}:/dev/${posix.basename(path) || 'mydevice'}`);
  if (MADE.has(path)) throw new KitError(`--device ${text}: every container already has ${path}`, 'give the device another path inside, e.g. HOST:/dev/mydevice');
  // Not in what kit mounts or links there: /dev/shm may be the host's (--ipc host), /dev/fd leads into /proc.
  const under = [...MADE].find((m) => path.startsWith(`${m}/`));
  if (under) throw new KitError(`--device ${text}: ${under} in the container is kit's own (a mount or a link), not a place for a device`, `give a path such as /dev/${posix.basename(path)}`);
  return { hostPath, path, access, ...node };
}

function realHost(text: string, host: string): string {
  try {
    return lstatSync(host).isSymbolicLink() ? realpathSync(host) : host;
  } catch (err) {
    throw new KitError(`--device ${text}: cannot find ${host} on the host (${(err as NodeJS.ErrnoException).code})`, 'check the path: ls -l ' + host);
  }
}

function nodeOf(text: string, host: string): Pick<DeviceMapping, 'type' | 'major' | 'minor' | 'fileMode'> {
  const stat = statSync(host, { bigint: true });
  if (stat.isDirectory()) throw new KitError(`--device ${text}: ${host} is a directory`, 'give each device node in it with its own --device');
  if (!stat.isCharacterDevice() && !stat.isBlockDevice()) throw new KitError(`--device ${text}: ${host} is not a device node`, 'give a character or block device, e.g. /dev/loop0 (ls -l shows c or b first)');
  const rdev = stat.rdev;
  // The kernel's dev_t split (new_decode_dev): 12 bits of major, 20 of minor, spread.
  const major = Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn));
  const minor = Number((rdev & 0xffn) | ((rdev >> 12n) & ~0xffn));
  return { type: stat.isBlockDevice() ? 'b' : 'c', major, minor, fileMode: Number(stat.mode & 0o7777n) };
}
