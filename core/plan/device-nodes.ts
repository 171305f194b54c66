import { posix } from 'node:path';
import { MS, S_IF } from '../linux';
import type { DeviceRule } from '../security/devices';
import { hasNamespace, type ContainerSpec, type DeviceMapping } from '../spec';
import type { ContainerStep } from './plan';
import { inRootfs } from './rootfs-path';

/**
 * docker run --device HOST[:CTR[:PERMS]]: the host's device node, made
 * again in the container's /dev with the same type and numbers (mknod), or,
 * in a user namespace where mknod of a device is refused, the host's node
 * bound over an empty file. A node alone opens nothing: the device rules
 * (devices.ts) allow this one, with its PERMS. This turns a protection off:
 * the container reaches that piece of the host's hardware.
 */
export function deviceNodeSteps(spec: ContainerSpec): ContainerStep[] {
  const made = new Set<string>(['/dev']);
  return (spec.devices ?? []).flatMap((d) => [...parentDirs(d.path, made), ...nodeSteps(spec, d)]);
}

/** The allow rules of --device: one per mapping, with its PERMS. */
export function deviceMappingRules(spec: ContainerSpec): DeviceRule[] {
  return (spec.devices ?? []).map((d) => ({ type: d.type, major: d.major, minor: d.minor, access: d.access, why: `--device ${d.hostPath}: ${d.type === 'b' ? 'block' : 'character'} device ${d.major}:${d.minor}, ${d.access}` }));
}

function nodeSteps(spec: ContainerSpec, d: DeviceMapping): ContainerStep[] {
  const path = inRootfs(d.path);
  if (hasNamespace(spec, 'user')) return boundDevice(d.hostPath, path);
  return [
    { op: 'mknod', path, mode: (d.type === 'b' ? S_IF.BLK : S_IF.CHR) | d.fileMode, major: d.major, minor: d.minor, why: `--device ${d.hostPath}: make ${d.path}, a ${d.type === 'b' ? 'block' : 'character'} device (${d.major}, ${d.minor}) as on the host` },
    { op: 'chmod', path, mode: d.fileMode, why: `mknod applied the umask: give it the host node's mode (${d.fileMode.toString(8)})` },
  ];
}

/** /dev/snd/timer needs /dev/snd: each directory once, in the fresh /dev tmpfs. */
function parentDirs(path: string, made: Set<string>): ContainerStep[] {
  const steps: ContainerStep[] = [];
  for (let dir = posix.dirname(path), chain: string[] = []; ; dir = posix.dirname(dir)) {
    if (made.has(dir)) {
      for (const d of chain.reverse()) {
        made.add(d);
        steps.push({ op: 'mkdir', path: inRootfs(d), mode: 0o755, why: `the directory of ${path}` });
      }
      return steps;
    }
    chain.push(dir);
  }
}

/**
 * In a user namespace mknod of a device is refused (CAP_MKNOD counts only
 * in the host's namespace: a device node would open the host's hardware).
 * So, as runc does there, an empty file is bind-mounted over by the host's
 * own node: the same device, opened with the container's own permissions.
 */
export function boundDevice(hostPath: string, path: string): ContainerStep[] {
  return [
    { op: 'mknod', path, mode: S_IF.REG | 0o666, major: 0, minor: 0, why: `user namespace: no device nodes may be made here; an empty file as the mount point for ${hostPath}` },
    { op: 'mount', source: hostPath, target: path, fstype: '', flags: MS.BIND, data: '', why: `bind the host's ${hostPath} over it (what runc does in a user namespace)` },
  ];
}

