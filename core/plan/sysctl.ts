import { statSync } from 'node:fs';
import { KitError } from '../errors';
import { hasOwnNetworkNamespace, type ContainerSpec, type Namespace } from '../spec';
import type { ContainerStep } from './plan';

/**
 * The IPC sysctls the kernel keeps per IPC namespace (ipc/ipc_sysctl.c),
 * runc's list; fs.mqueue.* is per IPC namespace too (ipc/mq_sysctl.c).
 */
const IPC_SYSCTLS = ['kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced'];

/**
 * docker run --sysctl, an OCI config's linux.sysctl: each becomes one write
 * to /proc/sys/<key with dots as slashes>, made by kit-init once the root
 * is switched, so the /proc written is the container's own, and before
 * /proc/sys is made read-only (masked-paths.ts). Most sysctls are
 * host-wide: writing one from a container would change the host for
 * everyone. So, as runc checks, only those a namespace of the container's
 * own holds are allowed: IPC ones in a new IPC namespace, net.* in a network
 * namespace that is not the host's, kernel.domainname in a UTS namespace.
 */
export function sysctlSteps(spec: ContainerSpec): ContainerStep[] {
  return Object.entries(spec.sysctls ?? {}).map(([key, value]) => {
    const holder = namespaceHolding(spec, key);
    return { op: 'write', path: `/proc/sys/${key.replace(/\./g, '/')}`, data: value, why: `sysctl ${key}=${value}: the value of the container's own ${holder} namespace (the host keeps its own)` };
  });
}

/** Refuse, before anything is made, a sysctl no namespace of the container holds (a clear line naming it). */
export function checkSysctls(spec: ContainerSpec): void {
  for (const key of Object.keys(spec.sysctls ?? {})) namespaceHolding(spec, key);
}

function checkKey(key: string): void {
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/.test(key)) throw new KitError(`sysctl ${JSON.stringify(key)} is not a sysctl name`, 'write it with dots, as sysctl -a lists it, e.g. net.ipv4.ip_forward');
}

/** Which namespace of the container holds this sysctl; a clear error when none does (runc's rules). */
function namespaceHolding(spec: ContainerSpec, key: string): Namespace {
  checkKey(key);
  const own = (ns: Namespace) => spec.namespaces.includes(ns) || (spec.joinNamespaces ?? []).some((j) => j.namespace === ns);
  if (IPC_SYSCTLS.includes(key) || key.startsWith('fs.mqueue.')) {
    if (own('ipc')) return 'ipc';
    throw new KitError(`sysctl ${key} is not allowed in the host's IPC namespace: writing it would change the host`, 'give the container an IPC namespace of its own (kit run: drop --ipc host/container:NAME; an OCI config: linux.namespaces {"type": "ipc"})');
  }
  if (key.startsWith('net.')) {
    if (!hasOwnNetworkNamespace(spec)) throw new KitError(`sysctl ${key} is not allowed in the host's network namespace: writing it would change the host`, 'give the container a network namespace of its own (--network none or bridge; linux.namespaces: {"type": "network"})');
    const joined = spec.joinNamespaces?.find((j) => j.namespace === 'net');
    if (joined && sameFile(joined.path, '/proc/self/ns/net')) throw new KitError(`sysctl ${key} is not allowed: the network namespace at ${joined.path} is the host's`, 'join another network namespace, or drop the sysctl');
    return 'net';
  }
  if (key === 'kernel.hostname') throw new KitError('sysctl kernel.hostname is not allowed: it conflicts with the hostname field', 'set the hostname with --hostname (an OCI config\'s "hostname")');
  if (key === 'kernel.domainname' && own('uts')) return 'uts';
  throw new KitError(`sysctl ${key} is not in a separate kernel namespace: writing it from the container would change the host`, 'only IPC sysctls (kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*), net.* and kernel.domainname (in a UTS namespace of its own) are namespaced');
}

function sameFile(a: string, b: string): boolean {
  try {
    const [x, y] = [statSync(a), statSync(b)];
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}
