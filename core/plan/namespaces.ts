import { CLONE, SIG } from '../linux';
import type { Namespace, ContainerSpec } from '../spec';
import type { PlanPart } from './plan';

/** Each namespace's flag, as clone(), unshare() and setns() take it. */
export const NAMESPACE_FLAG: Record<Namespace, number> = {
  mount: CLONE.NEWNS,
  uts: CLONE.NEWUTS,
  ipc: CLONE.NEWIPC,
  pid: CLONE.NEWPID,
  net: CLONE.NEWNET,
  user: CLONE.NEWUSER,
  cgroup: CLONE.NEWCGROUP,
};

/**
 * The namespaces clone() creates. The cgroup namespace is the exception:
 * kit-init unshares it later (see cgroupns.ts).
 */
export function cloneFlags(spec: ContainerSpec): number {
  let flags = SIG.CHLD; // the exit signal the parent is sent, as fork() does
  for (const ns of spec.namespaces) if (ns !== 'cgroup') flags |= NAMESPACE_FLAG[ns];
  return flags >>> 0;
}

export function planNamespaces(spec: ContainerSpec): PlanPart {
  return { cloneFlags: cloneFlags(spec) };
}
