import { existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { KitError } from '../errors';
import { MS } from '../linux';
import type { KitPaths } from '../paths';
import type { ContainerSpec, Mount } from '../spec';
import { fileInRoot, mountPointInRoot } from '../storage/in-root';
import { ensureVolume } from '../storage/volumes';
import type { ContainerStep, HostStep, PlanPart, StepOf } from './plan';
import { inRootfs } from './rootfs-path';
import { cgroupMountSteps } from './cgroup-mount';
import { maskTargets } from './masked-paths';
import { confinement } from '../security/options';

/**
 * -v, --mount, --tmpfs: directories and files of the host (or a named
 * volume's) mounted into the container before its root switch, while both
 * trees are visible. The source is resolved on the host (realpath) before
 * anything runs; the target is resolved inside the rootfs the way the
 * container would see it (symlinks within the root, never out of it:
 * core/storage/in-root.ts) and made in the container's own layer. Each
 * mount is one traced mount(2) by kit-init; :ro adds a read-only remount.
 */
export function planMounts(spec: ContainerSpec, id: string, paths: KitPaths, rootfs: string | undefined): PlanPart {
  const mounts = spec.mounts ?? [];
  if (mounts.length === 0) return {};
  if (!rootfs) throw new KitError('-v, --mount and --tmpfs need an image: the container has no root of its own to mount into', 'run an image (kit run base ...)');
  const prepare: HostStep[] = [];
  const container: ContainerStep[] = [];
  for (const mount of mounts) {
    const steps = mount.type === 'cgroup' ? cgroupMountSteps(spec, id, mount) : mountSteps(mount);
    container.push(...devMountPoint(mount), ...steps);
    prepare.push({
      why: `resolve ${mount.target} inside the container's root and make the mount point in its layer`,
      run: () => {
        const source = mount.type === 'bind' || mount.type === 'volume' ? hostSource(paths, mount) : undefined;
        const file = source !== undefined && !statSync(source).isDirectory();
        if (confinement(spec.security).maskPaths) refuseHidingMasks(mount, source, maskTargets(spec.security?.paths));
        const target = file ? fileInRoot(rootfs, mount.target) : mountPointInRoot(rootfs, mount.target);
        refuseInsideProc(mountFlag(mount), `/${posix.relative(rootfs, target)}`, mount.target); // where an image's symlinks led it
        // the resolved path, symlinks followed within the root only (a cgroup mount's steps below it too);
        // by now planRootfs has put the real root in place of the <rootfs> token (placeRootfs)
        for (const step of steps) relocate(step, [inRootfs(mount.target), rootfs + mount.target], target);
        if (source !== undefined) (steps[0] as StepOf<'mount'>).source = source;
      },
    });
  }
  return { prepare, container };
}

/** A step's paths at or below one of `froms` (the same place, written with or without the <rootfs> token) moved to `to`. */
function relocate(step: ContainerStep, froms: string[], to: string): void {
  const fields = step as unknown as Record<string, unknown>;
  for (const name of ['target', 'path', 'linkpath']) {
    const value = fields[name];
    const from = froms.find((f) => typeof value === 'string' && (value === f || value.startsWith(`${f}/`)));
    if (from !== undefined) fields[name] = to + (value as string).slice(from.length);
  }
}

/** What kit's /dev tmpfs holds already (dev.ts); a mount elsewhere directly in /dev needs its mount point made there, inside. */
const MADE_IN_DEV = ['/dev/shm', '/dev/pts', '/dev/null', '/dev/zero', '/dev/full', '/dev/random', '/dev/urandom', '/dev/tty'];

function devMountPoint(mount: Mount): ContainerStep[] {
  if (posix.dirname(mount.target) !== '/dev' || MADE_IN_DEV.includes(mount.target) || mount.type === 'bind' || mount.type === 'volume') return [];
  return [{ op: 'mkdir', path: inRootfs(mount.target), mode: 0o755, why: `the mount point ${mount.target}, in the container's fresh /dev tmpfs` }];
}

function mountSteps(mount: Mount): Array<StepOf<'mount'>> {
  const target = inRootfs(mount.target);
  if (mount.type === 'mqueue') {
    return [{ op: 'mount', source: 'mqueue', target, fstype: 'mqueue', flags: MS.NOSUID | MS.NODEV | MS.NOEXEC, data: '', why: `POSIX message queues at ${mount.target}: mqueue shows the IPC namespace of its mounter, the container's` }];
  }
  if (mount.type === 'tmpfs') {
    const { size, mode = 0o1777 } = mount.tmpfs ?? {};
    const data = `mode=${mode.toString(8)}${size !== undefined ? `,size=${size}` : ''}`;
    const noexec = mount.noexec ? MS.NOEXEC : 0;
    const never = mount.noexec ? 'nosuid, nodev, noexec: no set-user-ID bit, device file or program in it works' : 'nosuid, nodev: no set-user-ID bit or device file in it works';
    return [{ op: 'mount', source: 'tmpfs', target, fstype: 'tmpfs', flags: MS.NOSUID | MS.NODEV | noexec | (mount.readOnly ? MS.RDONLY : 0), data, why: `--tmpfs ${mount.target}: a memory filesystem of its own, gone when it ends (${never})` }];
  }
  const what = mount.type === 'volume' ? `the volume ${mount.source}` : `the host's ${mount.source}`;
  const steps: Array<StepOf<'mount'>> = [{ op: 'mount', source: mount.source ?? '', target, fstype: '', flags: MS.BIND | MS.REC, data: '', why: `-v: ${what} at ${mount.target} (a bind mount: the same files, seen from both sides)` }];
  const flags = (mount.readOnly ? MS.RDONLY : 0) | (mount.nosuid ? MS.NOSUID : 0) | (mount.nodev ? MS.NODEV : 0) | (mount.noexec ? MS.NOEXEC : 0);
  if (flags !== 0) {
    const names = Object.entries({ ro: mount.readOnly, nosuid: mount.nosuid, nodev: mount.nodev, noexec: mount.noexec }).filter(([, on]) => on).map(([name]) => name);
    steps.push({ op: 'mount', source: '', target, fstype: '', flags: MS.BIND | MS.REMOUNT | MS.REC | flags, data: '', why: `${names.join(',')}: remount the bind with them (a bind mount takes no flags on its first mount(2))` });
  }
  return steps;
}

/** The host path to bind: a volume's directory, or the user's path resolved on the host (created for -v, refused missing for --mount, Docker's split). */
function hostSource(paths: KitPaths, mount: Mount): string {
  if (mount.type === 'volume') return ensureVolume(paths, mount.source!).mountpoint;
  const source = mount.source!;
  if (!existsSync(source)) {
    if (!mount.createSource) throw new KitError(`--mount source ${source} does not exist`, 'create it first (--mount does not, as in Docker), or use -v, which does');
    mkdirSync(source, { recursive: true, mode: 0o755 });
  }
  return realpathSync(source);
}

/** A container path of -v / --mount / --tmpfs: absolute, not the root itself, not inside /proc. */
export function checkTarget(flag: string, target: string): string {
  if (!target.startsWith('/')) throw new KitError(`${flag}: the container path '${target}' is not absolute`, 'give a path from the container\'s /, e.g. /data');
  const normal = posix.normalize(target);
  if (normal === '/') throw new KitError(`${flag}: cannot mount over the container's /`, 'pick a directory inside it, e.g. /data');
  refuseInsideProc(flag, normal);
  return normal;
}

/**
 * The /proc files a mount may replace, runc's list (what LXCFS binds there).
 * Any other mount at or below /proc would cover kit's own procfs and with it
 * the masked and read-only paths (/proc/sys, /proc/sysrq-trigger...).
 */
export const PROC_FILES_REPLACEABLE = ['/proc/cpuinfo', '/proc/diskstats', '/proc/meminfo', '/proc/stat', '/proc/swaps', '/proc/uptime', '/proc/loadavg', '/proc/slabinfo', '/proc/net/dev', '/proc/sys/kernel/ns_last_pid'];

/** Why a mount at `target` (absolute, normalised) is refused, or undefined when it is not inside /proc. */
export function insideProcProblem(target: string): string | undefined {
  if (target !== '/proc' && !target.startsWith('/proc/')) return undefined;
  if (PROC_FILES_REPLACEABLE.includes(target)) return undefined;
  return `${target} is inside /proc, which kit mounts itself with its masked and read-only paths (as runc refuses it)`;
}

function refuseInsideProc(flag: string, target: string, asked = target): void {
  const problem = insideProcProblem(target);
  if (problem === undefined) return;
  const via = asked === target ? '' : `${asked} leads to ${target} through the image's symlinks: `;
  throw new KitError(`${flag}: cannot mount at ${via}${problem}`, 'pick a path outside /proc (only files LXCFS replaces, like /proc/meminfo and /proc/cpuinfo, may be mounted there)');
}

/**
 * A mount at /sys, /dev (or above a masked path) replaces what kit masks
 * there after the mounts, as runc does: the mask would then fail half way
 * through the container's setup. Refused here instead, naming what is
 * missing, when the new tree lacks a path kit masks (or /dev/null, the file
 * masks' source). The host's own /sys or /dev (-v /sys:/sys) has them all.
 */
function refuseHidingMasks(mount: Mount, source: string | undefined, masks: { paths: string[]; devNull: boolean }): void {
  const needs = [...masks.paths, ...(masks.devNull ? ['/dev/null'] : [])].filter((p) => p.startsWith(`${mount.target}/`));
  const what = source === undefined ? `a ${mount.type} there` : source;
  for (const path of needs) {
    if (source !== undefined && existsSync(source + path.slice(mount.target.length))) continue;
    const use = path === '/dev/null' ? 'binds /dev/null over the files it masks' : `masks ${path}`;
    throw new KitError(`${mountFlag(mount)} ${mount.target}: kit ${use} (as runc does), and ${what} has no ${path.slice(mount.target.length + 1)}`, `mount it at another path, or bind the host's own ${mount.target} (-v ${mount.target}:${mount.target})`);
  }
}

function mountFlag(mount: Mount): string {
  return mount.type === 'tmpfs' ? '--tmpfs' : mount.createSource ? '-v' : '--mount';
}
