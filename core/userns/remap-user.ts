import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KitError } from '../errors';
import { checkCommand, runCommand } from '../host/command';
import { withHostLock } from '../host/host-lock';
import type { KitPaths } from '../paths';
import { HostChanges } from '../host/journal';
import { isAlive, self, type ProcessRef } from '../host/process';
import type { TraceRecorder } from '../trace/recorder';
import { rangeMap, type IdMaps } from './id-map';
import { freeRange, rangeOf, readSubordinate, SUBGID_FILE, SUBUID_FILE, RANGE_SIZE } from './subordinate';

/**
 * `--userns=auto`: the container's root is an ordinary host uid from a
 * subordinate range of the `kit` user, as Docker's userns-remap uses the
 * `dockremap` user's. The user and its ranges in /etc/subuid and
 * /etc/subgid are made only when missing, under a host-wide lock, and
 * journaled in /run/kit-userns/journal (they outlive any one container).
 * Each container using them holds them (a file in holders/); when the last
 * one leaves, kit undoes what it made (userdel also drops the ranges), so
 * the host ends as it was, as kit0 does. A `kit` user kit did not make is
 * used, never removed.
 */
export const REMAP_USER = 'kit';
export const USERNS_STATE_DIR = '/run/kit-userns';
const HOLDERS = join(USERNS_STATE_DIR, 'holders');

/** The maps for a container with the `kit` user's ranges, made if missing; the container holds them until `releaseRemapUser`. */
export function holdRemapUser(trace: TraceRecorder, containerChanges: HostChanges, id: string, paths: KitPaths): IdMaps {
  return withUsernsLock(trace, () => {
    const shared = sharedChanges(trace);
    if (!userExists(REMAP_USER)) {
      shared.make({ op: 'userdel', name: REMAP_USER }, () =>
        checkCommand(trace, `create the \`${REMAP_USER}\` user that owns the subordinate ids (Docker creates \`dockremap\`)`, [
          'useradd', '--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', REMAP_USER,
        ]),
      );
    }
    const uid = rangeOf(readSubordinate(SUBUID_FILE), REMAP_USER);
    const gid = rangeOf(readSubordinate(SUBGID_FILE), REMAP_USER);
    const maps = uid && gid ? { uid: rangeMap(uid.start, uid.count), gid: rangeMap(gid.start, gid.count) } : addRanges(trace, shared);
    for (const dir of [paths.data, paths.state]) openToRemappedRoot(trace, shared, dir, maps.gid[0].outside);
    const holder = join(HOLDERS, id);
    containerChanges.make({ op: 'userns-release', path: holder }, () => {
      mkdirSync(HOLDERS, { recursive: true, mode: 0o700 });
      writeFileSync(holder, JSON.stringify(self()));
    });
    return maps;
  });
}

/**
 * kit's data and state dirs are closed to other users (0710 and 0700), and
 * the container's root is one (host uid 100000): kit-init, which mounts its
 * rootfs and /etc files from there, could not reach them. So, as dockerd
 * does with userns-remap, each gets the remapped root's gid as its group,
 * mode 0710: that gid may pass through, no real user can, and nobody may
 * list. Journaled: the last container out gives the group back.
 */
function openToRemappedRoot(trace: TraceRecorder, shared: HostChanges, dir: string, gid: number): void {
  const stats = statSync(dir);
  if (stats.gid === gid && (stats.mode & 0o777) === 0o710) return;
  shared.make({ op: 'chgrp', path: dir, gid: stats.gid, mode: stats.mode & 0o7777 }, () => {
    const why = `let the container's root (host gid ${gid}) pass through ${dir}, as dockerd does with userns-remap`;
    runCommand(trace, why, ['chgrp', String(gid), dir]);
    runCommand(trace, why, ['chmod', '0710', dir]);
  });
}

/** One free range of 65536 ids, given to `kit` in both files (usermod writes them under shadow's own locks). */
function addRanges(trace: TraceRecorder, shared: HostChanges): IdMaps {
  const taken = [...readSubordinate(SUBUID_FILE), ...readSubordinate(SUBGID_FILE)];
  const start = freeRange(taken);
  const range = `${start}-${start + RANGE_SIZE - 1}`;
  shared.make({ op: 'subids-delete', user: REMAP_USER, range }, () =>
    checkCommand(trace, `give \`${REMAP_USER}\` the first free range of ${RANGE_SIZE} ids in /etc/subuid and /etc/subgid`, [
      'usermod', '--add-subuids', range, '--add-subgids', range, REMAP_USER,
    ]),
  );
  return { uid: rangeMap(start, RANGE_SIZE), gid: rangeMap(start, RANGE_SIZE) };
}

/** Undo of 'userns-release': this container lets go; the last one out undoes the user and ranges kit made. */
export function releaseRemapUser(trace: TraceRecorder, holder: string): string | undefined {
  try {
    return withUsernsLock(trace, () => {
      rmSync(holder, { force: true });
      if (liveHolders().length > 0) return undefined;
      const problems = sharedChanges(trace).undoAll();
      return problems.length ? problems.join('; ') : undefined;
    });
  } catch (err) {
    return (err as Error).message;
  }
}

function liveHolders(): ProcessRef[] {
  let names: string[] = [];
  try {
    names = readdirSync(HOLDERS);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    try {
      const ref = JSON.parse(readFileSync(join(HOLDERS, name), 'utf8')) as ProcessRef;
      return isAlive(ref) ? [ref] : [];
    } catch {
      return [];
    }
  });
}

function sharedChanges(trace: TraceRecorder): HostChanges {
  return new HostChanges(join(USERNS_STATE_DIR, 'journal'), trace);
}

export function userExists(name: string): boolean {
  try {
    return readFileSync('/etc/passwd', 'utf8').split('\n').some((l) => l.split(':')[0] === name);
  } catch {
    return false;
  }
}

/** An flock on /run/kit-userns/lock: two kit processes must not both create the user or pick the same range. */
function withUsernsLock<T>(trace: TraceRecorder, fn: () => T): T {
  if (process.getuid?.() !== 0) throw new KitError('--userns=auto changes /etc/subuid and may create a user: it needs root', 'run kit with sudo, or leave out --userns=auto');
  return withHostLock(trace, USERNS_STATE_DIR, 'user-namespace', 'another kit may be creating the `kit` user right now', fn);
}
