import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KitError } from '../errors';
import { MS } from '../linux';
import { containerDir, type KitPaths } from '../paths';
import type { ContainerSpec } from '../spec';
import { DEFAULT_SHM_BYTES } from './dev';
import type { PlanPart } from './plan';

/**
 * `--ipc shareable`: the container's /dev/shm must be one another container
 * can bind (`--ipc container:NAME`, same POSIX shared memory as the System V
 * IPC it joins). A tmpfs mounted inside the donor's own mount namespace
 * cannot be: bind(2) refuses a mount of another namespace (EINVAL), so a
 * path through /proc/<pid>/root leads nowhere. As Docker does
 * (containers/<id>/mounts/shm), kit mounts the tmpfs on the host, in the
 * container's state dir, and both containers bind that. The source is
 * kit's own dir, which no container can see or swap for a link: nothing
 * inside the donor's root is resolved at all.
 */
export function shareableShmDir(paths: KitPaths, id: string): string {
  return join(containerDir(paths, id), 'shm');
}

/** Only root mounts on the host: without it a shareable container keeps a /dev/shm of its own (and no joiner can bind it). */
export function canShareShm(): boolean {
  return process.getuid?.() === 0;
}

/** The host-side tmpfs of a shareable container, journaled (unmounted when it ends), which its /dev/shm then binds. */
export function planShareableShm(spec: ContainerSpec, id: string, paths: KitPaths): { spec: ContainerSpec; part: PlanPart } {
  if (spec.ipcMode !== 'shareable' || !canShareShm()) return { spec, part: {} };
  const dir = shareableShmDir(paths, id);
  const kib = Math.ceil((spec.shmSize ?? DEFAULT_SHM_BYTES) / 1024);
  const part: PlanPart = {
    prepare: [
      {
        why: '--ipc shareable: the /dev/shm tmpfs is mounted on the host, in the state dir, so a container joining this IPC namespace can bind it too',
        run: (ctx) => {
          if (!existsSync(dir)) ctx.trace.check('--ipc shareable: the mount point of the shared /dev/shm, in the state dir (removed with it)', (n) => n.mkdir(dir, 0o700));
          ctx.changes.make({ op: 'umount', path: dir }, () =>
            ctx.trace.check(`--ipc shareable: a ${kib} KiB tmpfs for /dev/shm on the host, which this container and its joiners bind`, (n) => n.mount('shm', dir, 'tmpfs', MS.NOSUID | MS.NODEV | MS.NOEXEC, `mode=1777,size=${kib}k`)),
          );
        },
      },
    ],
  };
  return { spec: { ...spec, shmSource: dir }, part };
}

/**
 * --ipc container:NAME: the donor's host-side /dev/shm (made by
 * planShareableShm when it started), refused when it has none, as a
 * joiner without the donor's shared memory would not be what Docker gives.
 */
export function donorShm(donor: { id: string; name: string; spec: ContainerSpec }, paths: KitPaths, mode: string): string {
  if (donor.spec.ipcMode === 'host') return '/dev/shm';
  const dir = shareableShmDir(paths, donor.id);
  if (!isMountPoint(dir)) {
    throw new KitError(`--ipc ${mode}: container ${donor.name}'s /dev/shm is its own, not shareable (it was started without root, which alone can mount a /dev/shm on the host)`, 'start both containers with sudo');
  }
  return dir;
}

/** A mount point: its device differs from its parent's (the state dir, on kit's own filesystem). */
function isMountPoint(path: string): boolean {
  try {
    return statSync(path).dev !== statSync(dirname(path)).dev;
  } catch {
    return false;
  }
}
