import { mkdirSync, rmdirSync, rmSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { MNT_DETACH, SIG } from '../linux';
import type { HostContext } from '../plan/plan';
import { formatMap, hostId, type IdMaps } from '../userns/id-map';
import { runningKernelAtLeast } from '../kernel-version';

/**
 * Image layers for a container in a user namespace, without copying them:
 * each layer is bind-mounted through an idmapped mount (Linux 5.12), which
 * shows every file through the container's maps, so a file owned by 0 on
 * disk is owned by the uid the map puts at 0 (100000) and root inside owns
 * it, while the layer on disk stays as it is for every other container.
 * The new mount API does it in three calls: open_tree(OPEN_TREE_CLONE)
 * clones the layer's mount detached, mount_setattr(MOUNT_ATTR_IDMAP) gives
 * it a user namespace's maps, move_mount attaches it. The maps come from a
 * user namespace held by a child that only waits (the container's own does
 * not exist yet), as crun and containerd do.
 *
 *   <container dir>/idmapped/<n>/   layer n (bottom first), idmapped
 *
 * overlayfs stacks idmapped layers since Linux 5.19, and keeps private
 * clones of its layers' mounts: once the overlay is mounted (or vfs has
 * copied them), the idmapped mounts are detached again. Each is journaled
 * first, so a crash in between leaves nothing mounted.
 */
export interface IdmappedLayers {
  dirs: string[];
  /** Detach the idmapped mounts: the union mount (or the copy) no longer needs them. */
  release(): void;
}

/** overlayfs takes idmapped lower layers from this kernel on. */
const OVERLAY_IDMAP_KERNEL = '5.19';

/** The layers as idmapped mounts, or why they cannot be (the caller copies them instead). */
export function idmappedLayers(ctx: HostContext, layers: string[], dir: string, maps: IdMaps): IdmappedLayers | string {
  if (!runningKernelAtLeast(OVERLAY_IDMAP_KERNEL)) {
    return `this kernel (${release()}) cannot stack overlay on idmapped layers (Linux ${OVERLAY_IDMAP_KERNEL} can)`;
  }
  const nsFd = usernsFd(ctx, maps);
  if (typeof nsFd === 'string') return nsFd;
  const made: string[] = [];
  const detach = () => {
    for (const target of made) {
      ctx.trace.host('idmapped layers: overlay holds its own copy of each layer\'s mount now: detach the idmapped one', (n) => n.umount2(target, MNT_DETACH));
      rmdirSync(target);
    }
    rmSync(join(dir, 'idmapped'), { recursive: true, force: true }); // only empty dirs are left in it
  };
  try {
    for (const [i, layer] of layers.entries()) {
      const target = join(dir, 'idmapped', String(i));
      mkdirSync(target, { recursive: true });
      const failure = ctx.changes.make({ op: 'umount', path: target }, () => idmapOne(ctx, layer, target, nsFd, maps));
      if (failure) {
        rmdirSync(target);
        detach();
        return failure;
      }
      made.push(target);
    }
  } finally {
    ctx.trace.host(undefined, (n) => n.close(nsFd));
  }
  return { dirs: made, release: detach };
}

/**
 * A driver whose container root is one directory of its own (btrfs: the
 * container's snapshot) needs no idmapped layers: the root itself is
 * mounted over itself through the maps, so the snapshot and the layer
 * subvolumes below it stay as stored (shared with every other container)
 * and root inside owns what it sees. What the container writes lands on
 * disk unshifted (owner 0), so `kit diff` and `kit commit` see the image's
 * owners. Journaled first: the container's end (or the next kit after a
 * kill -9) unmounts it. Undefined when done, else why not (the caller
 * moves the owners instead).
 */
export function idmapInPlace(ctx: HostContext, root: string, maps: IdMaps): string | undefined {
  const nsFd = usernsFd(ctx, maps);
  if (typeof nsFd === 'string') return nsFd;
  try {
    return ctx.changes.make({ op: 'umount', path: root }, () => idmapOne(ctx, root, root, nsFd, maps, `idmapped root: the container's root ${root} mounted over itself through the container's maps (owner 0 as host uid ${hostId(maps.uid, 0) ?? 'nobody'}), nothing copied or chown-ed`));
  } finally {
    ctx.trace.host(undefined, (n) => n.close(nsFd));
  }
}

/** `source` bind-mounted at `target` through the maps; undefined when done, else why not. */
function idmapOne(ctx: HostContext, layer: string, target: string, nsFd: number, maps: IdMaps, reason?: string): string | undefined {
  const why = reason ?? `idmapped layer: ${layer} shown through the container's maps (owner 0 as host uid ${hostId(maps.uid, 0) ?? 'nobody'}), without a copy`;
  const fd = ctx.trace.check(why, (n) => n.openTreeClone(layer));
  try {
    const set = ctx.trace.host(why, (n) => n.mountSetIdmap(fd, nsFd));
    if (set < 0) return `mount_setattr(MOUNT_ATTR_IDMAP) on ${layer} failed (errno ${-set}): its filesystem or this kernel does not allow idmapped mounts`;
    ctx.trace.check(why, (n) => n.moveMount(fd, target));
    return undefined;
  } finally {
    ctx.trace.host(undefined, (n) => n.close(fd));
  }
}

/**
 * An fd of a user namespace with `maps`: a child waits in a namespace of its
 * own while kit writes its maps and opens /proc/<pid>/ns/user; then it is
 * killed (the fd keeps the namespace alive).
 */
function usernsFd(ctx: HostContext, maps: IdMaps): number | string {
  const why = "idmapped mounts: a user namespace with the container's maps, held by a waiting child";
  const pid = ctx.trace.host(why, (n) => n.spawnUsernsHolder());
  if (pid < 0) return `a user namespace for the idmapped mounts could not be made (clone errno ${-pid})`;
  try {
    ctx.trace.check(why, (n) => n.writeFile(`/proc/${pid}/uid_map`, formatMap(maps.uid)));
    ctx.trace.check(why, (n) => n.writeFile(`/proc/${pid}/gid_map`, formatMap(maps.gid)));
    return ctx.trace.check(why, (n) => n.openRead(`/proc/${pid}/ns/user`));
  } finally {
    ctx.trace.host('idmapped mounts: the holder is done (its namespace lives on in the fd)', (n) => n.kill(pid, SIG.KILL));
    ctx.trace.host(undefined, (n) => n.reap(pid));
  }
}

