import { KitError } from '../errors';
import type { ContainerSpec, UsernsMode } from '../spec';
import { formatMap, hostId, type IdMapping, type IdMaps } from '../userns/id-map';
import { holdPassage } from '../userns/passage';
import { holdRemapUser } from '../userns/remap-user';
import type { HostContext, PlanPart } from './plan';

/**
 * A user namespace (CLONE_NEWUSER). clone() makes it together with the
 * other namespaces, which it then owns, but it starts with no id mapped: the
 * child is nobody (65534) there until a process outside writes the maps.
 * So, while the child waits on the control socket, kit (the parent) writes
 * /proc/<pid>/setgroups, then uid_map and gid_map, each one write(2) the
 * kernel takes once, and then releases the child with one byte. Only then
 * does the child become the namespace's root (setgroups, setresgid and
 * setresuid to 0, which the host sees as the uid the map puts at 0) and
 * exec kit-init: execve keeps capabilities only for the namespace's root.
 * Capabilities count only for what its namespaces own, never the host's.
 */
export interface UsernsMaps {
  /** Filled in by the time attach steps run (at plan time, or by the prepare step for auto). */
  maps?: IdMaps;
}

export function planUserNamespace(spec: ContainerSpec, resolved: UsernsMaps): PlanPart {
  if (!spec.namespaces.includes('user')) return {};
  const mode = spec.userns ?? (isRoot() ? 'auto' : 'self');
  if (mode !== 'auto') resolved.maps = fixedMaps(mode);
  const unprivileged = !isRoot();
  return {
    prepare:
      mode === 'auto'
        ? [{ why: "--userns=auto: the `kit` user's subordinate ids, from /etc/subuid and /etc/subgid (made if missing)", run: (ctx) => void (resolved.maps = holdRemapUser(ctx.trace, ctx.changes, ctx.id, ctx.paths)) }]
        : mode !== 'self' && isRoot() && (spec.image || spec.rootDir)
          ? [{ why: "--uidmap: let the map's root through kit's closed dirs to its rootfs and /etc files", run: (ctx) => holdPassage(ctx.trace, ctx.changes, ctx.id, ctx.paths, hostId(mapsOf(resolved).gid, 0) ?? 0) }]
          : [],
    attach: [
      {
        why: unprivileged
          ? 'setgroups "deny": the kernel wants it before an unprivileged user writes gid_map (else dropping a group inside could grant access)'
          : 'setgroups "allow": root inside may set its supplementary groups, among the gids the map gives it',
        run: (ctx) => writeProcFile(ctx, 'setgroups', unprivileged ? 'deny' : 'allow'),
      },
      { why: 'uid_map: "inside outside count", which host uids the container\'s uids are', run: (ctx) => writeProcFile(ctx, 'uid_map', formatMap(mapsOf(resolved).uid)) },
      { why: 'gid_map: the same for group ids', run: (ctx) => writeProcFile(ctx, 'gid_map', formatMap(mapsOf(resolved).gid)) },
    ],
    // 'g': the child calls setgroups(0, []) too; 'n': setgroups is denied (native-rs/src/sys/userns_child.rs).
    release: unprivileged ? 'n' : 'g',
  };
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function mapsOf(resolved: UsernsMaps): IdMaps {
  if (!resolved.maps) throw new Error('user namespace maps used before they were resolved'); // a plan-order bug, not a user's
  return resolved.maps;
}

/** self, or --uidmap/--gidmap maps, checked against what this caller may map. */
function fixedMaps(mode: Exclude<UsernsMode, 'auto'>): IdMaps {
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  if (mode === 'self') return { uid: [{ inside: 0, outside: uid, count: 1 }], gid: [{ inside: 0, outside: gid, count: 1 }] };
  if (!isRoot()) {
    callersOwn('--uidmap', mode.uid, uid, 'uid');
    callersOwn('--gidmap', mode.gid, gid, 'gid');
  }
  return mode;
}

/**
 * Without root the kernel lets a process map one id only: its own (more
 * needs the setuid newuidmap helper and a range in /etc/subuid). Said here,
 * by name, rather than as EPERM from the write.
 */
function callersOwn(flag: string, map: IdMapping[], own: number, kind: string): void {
  const other = map.find((m) => m.outside !== own || m.count !== 1);
  if (!other && map.length === 1) return;
  const bad = other ?? map[1];
  throw new KitError(
    `${flag} ${bad.inside}:${bad.outside}:${bad.count}: host ${kind} ${bad.outside}${bad.count > 1 ? `-${bad.outside + bad.count - 1}` : ''} is not yours to map (you are ${kind} ${own})`,
    `without root a user namespace may map only your own ${kind}: use ${flag} 0:${own}:1, or run kit with sudo`,
  );
}

function writeProcFile(ctx: HostContext, file: string, text: string): void {
  ctx.trace.check(undefined, (n) => n.writeFile(`/proc/${ctx.pid}/${file}`, text));
}
