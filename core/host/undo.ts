import { deleteChain, deleteRule } from '../network/iptables';
import { releaseHostNetwork } from '../network/host-network';
import { releaseAddress } from '../network/ipam';
import { sysctlPath } from '../network/sysctl';
import { removeCgroup } from '../cgroups/lifecycle';
import { tracedIo } from '../cgroups/traced-io';
import { removeTree } from './remove-tree';
import type { TraceRecorder } from '../trace/recorder';
import { runCommand } from './command';
import { deleteThinDevice, detachLoops, removeDevice } from '../storage/dm-undo';

/**
 * How to undo one host change. Records are data (JSON in the journal), so a
 * later kit process can replay what an earlier one journaled.
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
  /** An iptables chain kit created (-N), undone by -X. */
  | { op: 'iptables-chain-delete'; table: 'nat' | 'filter'; chain: string }
  /** A sysctl kit changed, and the value it had before. */
  | { op: 'sysctl'; key: string; value: string }
  /** An address leased to a container (core/network/ipam.ts). */
  | { op: 'lease-release'; path: string; id: string }
  /** A container joined kit0: when it leaves, kit0 and the shared rules go if no other container uses them. */
  | { op: 'network-release' }
  /** A container's cgroup: end what is left in it, rmdir it, then its shared parent if empty. */
  | { op: 'cgroup'; path: string; parent: string }
  /** Loop devices kit attached to a file of its own (devicemapper's sparse files): detached by file. */
  | { op: 'loop-detach'; file: string }
  /** A device-mapper device kit activated (a thin pool, a thin device): `dmsetup remove`; a busy pool is another container's. */
  | { op: 'dm-remove'; name: string }
  /** A thin device kit created in its pool for a throwaway container: deleted, and forgotten in the registry. */
  | { op: 'dm-thin-delete'; pool: string; id: number; registry: string; key: string };

const ENOENT = -2;
const EINVAL = -22;

/** Undo one change; returns a one-line problem, or undefined when done. */
export function undo(record: Undo, trace: TraceRecorder): string | undefined {
  switch (record.op) {
    case 'rmdir': {
      const ret = trace.host('undo: remove the directory kit made', (n) => n.rmdir(record.path));
      return ret < 0 && ret !== ENOENT ? `could not remove ${record.path} (errno ${-ret})` : undefined;
    }
    case 'umount': {
      const MNT_DETACH = 2;
      const ret = trace.host('undo: detach the mount kit made', (n) => n.umount2(record.path, MNT_DETACH));
      return ret < 0 && ret !== ENOENT && ret !== EINVAL ? `could not unmount ${record.path} (errno ${-ret})` : undefined;
    }
    case 'msgrm': {
      const ret = trace.host('undo: remove the message queue kit made', (n) => n.msgRemove(record.key));
      return ret < 0 && ret !== ENOENT ? `could not remove message queue key ${record.key} (errno ${-ret})` : undefined;
    }
    case 'remove':
      return removeTree(record.path);
    case 'link-delete': {
      const r = runCommand(trace, 'undo: delete the link kit created', ['ip', 'link', 'delete', record.name]);
      return r.status === 0 || /Cannot find device/.test(r.stderr) ? undefined : `could not delete link ${record.name}: ${r.stderr.trim()}`;
    }
    case 'iptables-delete':
      return deleteRule(trace, record);
    case 'iptables-chain-delete':
      return deleteChain(trace, record.table, record.chain);
    case 'sysctl': {
      const ret = trace.host(`undo: restore ${record.key} to its old value`, (n) => n.writeFile(sysctlPath(record.key), record.value));
      return ret < 0 && ret !== ENOENT ? `could not restore ${record.key} (errno ${-ret})` : undefined;
    }
    case 'lease-release':
      return releaseAddress(record.path, record.id);
    case 'network-release':
      return releaseHostNetwork(trace);
    case 'cgroup':
      return removeCgroup(tracedIo(trace, 'undo: empty and remove the cgroup kit made'), record.path, record.parent);
    case 'loop-detach':
      return detachLoops(trace, record.file);
    case 'dm-remove':
      return removeDevice(trace, record.name);
    case 'dm-thin-delete':
      return deleteThinDevice(trace, record);
  }
}
