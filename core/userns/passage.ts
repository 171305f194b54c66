import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkCommand, runCommand } from '../host/command';
import { withHostLock } from '../host/host-lock';
import { HostChanges } from '../host/journal';
import { isAlive, self, type ProcessRef } from '../host/process';
import type { KitPaths } from '../paths';
import type { TraceRecorder } from '../trace/recorder';
import { USERNS_STATE_DIR } from './remap-user';

/**
 * `--uidmap` as root: the container's root is whatever host uid/gid the map
 * puts at 0 (200000), and kit-init, running as it, mounts the rootfs and
 * the /etc files from kit's data and state dirs, which are closed to other
 * users (0710 and 0700, core/security/dir-modes.ts). --userns=auto gives the
 * dirs the `kit` range's group (remap-user.ts), but a map of one's own may
 * be any range, and several may run at once: so each range's root gid gets
 * an ACL entry of its own on both dirs, `group:200000:--x` (setfacl), which
 * lets it pass through and nothing more (no listing; the mode bits stay
 * 0710/0700 and every other user stays out). The entry is held by each
 * container of that gid (a file in passage/<gid>/holders/) and removed by
 * the last one out, journaled, so the host ends as it was.
 */
const PASSAGE_DIR = join(USERNS_STATE_DIR, 'passage');

export function holdPassage(trace: TraceRecorder, containerChanges: HostChanges, id: string, paths: KitPaths, gid: number): void {
  if (gid === 0) return; // the host's root group: nothing to open
  const dir = join(PASSAGE_DIR, String(gid));
  withPassageLock(trace, () => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const shared = new HostChanges(join(dir, 'journal'), trace);
    const granted = new Set(shared.records().flatMap((r) => (r.op === 'acl-remove' ? [r.path] : [])));
    for (const target of [paths.data, paths.state]) {
      if (granted.has(target)) continue;
      shared.make({ op: 'acl-remove', path: target, gid }, () =>
        checkCommand(trace, `let the container's root (host gid ${gid}) pass through ${target}, and nothing more: an ACL entry of its own`, ['setfacl', '-m', `g:${gid}:x`, target]),
      );
    }
    const holder = join(dir, 'holders', id);
    containerChanges.make({ op: 'passage-release', path: holder }, () => {
      mkdirSync(join(dir, 'holders'), { recursive: true, mode: 0o700 });
      writeFileSync(holder, JSON.stringify(self()));
    });
  });
}

/** Undo of 'passage-release': this container lets go; the last one of its gid removes the ACL entries. */
export function releasePassage(trace: TraceRecorder, holder: string): string | undefined {
  const dir = join(holder, '..', '..');
  try {
    return withPassageLock(trace, () => {
      rmSync(holder, { force: true });
      if (liveHolders(join(dir, 'holders'))) return undefined;
      const problems = new HostChanges(join(dir, 'journal'), trace).undoAll();
      if (problems.length) return problems.join('; ');
      rmSync(dir, { recursive: true, force: true }); // the gid's holders and journal: nothing of it is left
      return undefined;
    });
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * Undo of 'acl-remove': the gid's entry goes; once no named entry is left,
 * the ACL itself (its mask) goes too, so the dir is as it was. A dir already
 * gone needs nothing.
 */
export function removeAclEntry(trace: TraceRecorder, path: string, gid: number): string | undefined {
  const why = `undo: take the ACL entry of gid ${gid} off ${path}`;
  const r = runCommand(trace, why, ['setfacl', '-x', `g:${gid}`, path]);
  if (/No such file/.test(r.stderr)) return undefined;
  if (r.status !== 0) return `could not remove the ACL entry of gid ${gid} from ${path}: ${r.stderr.trim()}`;
  const left = runCommand(trace, why, ['getfacl', '-n', '-p', '--omit-header', path]).stdout;
  if (!/^(user|group):\d+:/m.test(left)) runCommand(trace, `undo: no other gid passes through ${path}: drop its ACL`, ['setfacl', '-b', path]);
  return undefined;
}

function liveHolders(dir: string): boolean {
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return false;
  }
  return names.some((name) => {
    try {
      return isAlive(JSON.parse(readFileSync(join(dir, name), 'utf8')) as ProcessRef);
    } catch {
      return false;
    }
  });
}

/** The user-namespace lock (/run/kit-userns/lock): a gid's dir may then go with its last holder. */
function withPassageLock<T>(trace: TraceRecorder, fn: () => T): T {
  return withHostLock(trace, USERNS_STATE_DIR, 'user-namespace', 'another kit may be granting or removing a passage right now', fn);
}
