import { CLONE, SIG } from '../linux';
import type { Namespace, ContainerSpec } from '../spec';
import type { PlanPart } from './plan';

/**
 * The namespaces clone() creates, one flag each. The cgroup namespace is the
 * exception: kit-init unshares it later (see cgroupns.ts).
 */
const CLONE_FLAG: Record<Exclude<Namespace, 'cgroup'>, number> = {
  mount: CLONE.NEWNS,
  uts: CLONE.NEWUTS,
  ipc: CLONE.NEWIPC,
  pid: CLONE.NEWPID,
  net: CLONE.NEWNET,
  user: CLONE.NEWUSER,
};

export function cloneFlags(spec: ContainerSpec): number {
  let flags = SIG.CHLD; // the exit signal the parent is sent, as fork() does
  for (const ns of spec.namespaces) if (ns !== 'cgroup') flags |= CLONE_FLAG[ns];
  return flags >>> 0;
}

export function planNamespaces(spec: ContainerSpec): PlanPart {
  return { cloneFlags: cloneFlags(spec) };
}
