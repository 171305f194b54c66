import { removeTree } from './remove-tree';
import type { TraceRecorder } from '../trace/recorder';

/**
 * How to undo one host change. Records are data (JSON in the journal), so a
 * later kit process can replay what an earlier one journaled. Every kind of
 * record kit can journal is listed here, so the journal's format is in one
 * place; the code that undoes a kind lives with the part of kit that makes
 * it (core/network/undo.ts, core/cgroups/undo.ts), registered in the table
 * below, so host/ needs nothing from them.
 */
export type Undo =
  /** A directory kit created (a cgroup, a mount point). */
  | { op: 'rmdir'; path: string }
  /** A mount kit made on the host. */
  | { op: 'umount'; path: string }
  /** A file or tree kit wrote (state files, a container's layer). */
  | { op: 'remove'; path: string }
  /** A System V message queue kit made on the host (the ipc chapter). */
  | { op: 'msgrm'; key: number }
  /** A network link kit created (kit0, a veth: deleting one end deletes the pair). */
  | { op: 'link-delete'; name: string }
  /** An iptables rule kit added, undone by `iptables -D` of the same rule. */
  | { op: 'iptables-delete'; table: 'nat' | 'filter'; chain: string; spec: string[] }
  /** iptables rules kit added in one iptables-restore, undone by one that deletes them all (-D each). */
  | { op: 'iptables-delete-rules'; table: 'nat' | 'filter'; rules: Array<{ chain: string; spec: string[] }> }
  /** An iptables chain kit created (-N), undone by -X. */
  | { op: 'iptables-chain-delete'; table: 'nat' | 'filter'; chain: string }
  /** A sysctl kit changed, and the value it had before. */
  | { op: 'sysctl'; key: string; value: string }
  /** An address leased to a container (core/network/ipam.ts). */
  | { op: 'lease-release'; path: string; id: string }
  /** A container joined kit0: when it leaves, kit0 and the shared rules go if no other container uses them. */
  | { op: 'network-release' }
  /** A container's cgroup: end what is left in it, rmdir it, then its shared parent if empty. */
  | { op: 'cgroup'; path: string; parent?: string }
  /** Loop devices kit attached to a file of its own (devicemapper's sparse files): detached by file. */
  | { op: 'loop-detach'; file: string }
  /** A device-mapper device kit activated (a thin pool, a thin device): `dmsetup remove`; a busy pool is another container's. `lock`: the pool's dir, whose lock the removal of a pool holds. */
  | { op: 'dm-remove'; name: string; lock?: string }
  /** A thin device kit created in its pool (a throwaway container's, or one half made): deleted, and forgotten in the registry (key: base, layers/<chain> or containers/<id>). */
  | { op: 'dm-thin-delete'; pool: string; id: number; registry: string; key: string }

  /** A host user kit created (`kit`, for --userns=auto); userdel also drops its subordinate ranges. */
  | { op: 'userdel'; name: string }
  /** Subordinate uid and gid ranges kit gave an existing user. */
  | { op: 'subids-delete'; user: string; range: string }
  /** A container's btrfs snapshot: deleted, and the last one out unmounts kit's btrfs image file (core/storage/btrfs.ts). */
  | { op: 'btrfs-release'; path: string }
  /** A container held the `kit` user's ranges: let go, and the last one out undoes what kit made (core/userns/remap-user.ts). */
  | { op: 'userns-release'; path: string }
  /** A kit dir opened to the remapped root's gid (core/userns/remap-user.ts): its group and mode before. */
  | { op: 'chgrp'; path: string; gid: number; mode: number }
  /** A container held its map's gid passage through kit's dirs: let go, and the last one of that gid removes the ACL entries (core/userns/passage.ts). */
  | { op: 'passage-release'; path: string }
  /** An ACL entry letting `gid` pass through a kit dir (setfacl -m g:GID:x): removed with setfacl -x. */
  | { op: 'acl-remove'; path: string; gid: number };

export type UndoOp = Undo['op'];

/**
 * Kinds of change a reboot undoes by itself: mounts, cgroups, links,
 * iptables rules, sysctls, System V IPC objects, loop and device-mapper
 * devices, and leases kept in /run (a tmpfs). Their undo records are written
 * before the change but not fsync'd (journal.ts): the journal is for kit
 * being killed or crashing, and a dead process's writes are in the page
 * cache, where the next kit reads them; only a power cut loses unflushed
 * records, and it takes these changes with it. Records of what stays on
 * disk (files, directories, users, thin volumes) are fsync'd.
 */
export const GONE_AT_REBOOT: ReadonlySet<UndoOp> = new Set<UndoOp>([
  'umount', 'msgrm', 'link-delete', 'iptables-delete', 'iptables-delete-rules', 'iptables-chain-delete',
  'sysctl', 'lease-release', 'network-release', 'cgroup', 'loop-detach', 'dm-remove',
]);
/** Undo one record; returns a one-line problem, or undefined when done (or already gone). */
export type UndoHandler<K extends UndoOp> = (record: Extract<Undo, { op: K }>, trace: TraceRecorder) => string | undefined;
type UndoTable = { [K in UndoOp]?: UndoHandler<K> };

const ENOENT = -2;
const EINVAL = -22;
const MNT_DETACH = 2;

/** The host's own kinds: plain syscalls and files. The rest are registered by their modules. */
const handlers: UndoTable = {
  rmdir: (record, trace) => {
    const ret = trace.host('undo: remove the directory kit made', (n) => n.rmdir(record.path));
    return ret < 0 && ret !== ENOENT ? `could not remove ${record.path} (errno ${-ret})` : undefined;
  },
  umount: (record, trace) => {
    const ret = trace.host('undo: detach the mount kit made', (n) => n.umount2(record.path, MNT_DETACH));
    return ret < 0 && ret !== ENOENT && ret !== EINVAL ? `could not unmount ${record.path} (errno ${-ret})` : undefined;
  },
  msgrm: (record, trace) => {
    const ret = trace.host('undo: remove the message queue kit made', (n) => n.msgRemove(record.key));
    return ret < 0 && ret !== ENOENT ? `could not remove message queue key ${record.key} (errno ${-ret})` : undefined;
  },
  remove: (record) => removeTree(record.path),
};

/** How records of kind `op` are undone (network, cgroups register theirs when loaded). */
export function registerUndo<K extends UndoOp>(op: K, handler: UndoHandler<K>): void {
  (handlers as Record<string, unknown>)[op] = handler;
}

/**
 * Undo one change; returns a one-line problem, or undefined when done. A
 * handler that throws is a problem, and so is a kind whose module is not
 * loaded: its record stays in the journal for a replay that has it
 * (core/undo-handlers.ts loads them all).
 */
export function undo(record: Undo, trace: TraceRecorder): string | undefined {
  const handler = handlers[record.op] as UndoHandler<UndoOp> | undefined;
  if (!handler) return `no undo for '${record.op}' is loaded: kept in the journal`;
  try {
    return handler(record as never, trace);
  } catch (err) {
    // A throw would end undoAll() half-way, and replace the error that made kit undo (the one the user must see).
    return `could not undo ${record.op} (${(err as Error).message})`;
  }
}
