import { SIG } from '../linux';
import type { ContainerSpec, Namespace } from '../spec';
import { cloneFlags, NAMESPACE_FLAG } from './namespaces';
import type { ContainerStep, PlanPart } from './plan';

/**
 * The order kit-init joins namespaces in. The user namespace first: it owns
 * the others, and joining it gives the capabilities to join them. The
 * mount namespace last: its /proc may not lead to the other files.
 */
const JOIN_ORDER: Namespace[] = ['user', 'cgroup', 'ipc', 'uts', 'net', 'mount'];

/**
 * Namespaces the container joins instead of creating (an OCI config's
 * linux.namespaces[].path: podman hands over the network namespace it set
 * up, /run/netns/...). kit-init joins them first, before any mount, so a
 * sysfs mounted later shows the joined network namespace's devices, and
 * the mounts of a joined mount namespace are made in it.
 *
 * A PID namespace is not joined here: setns(CLONE_NEWPID) moves no one, it
 * only says where the caller's next children are born, so kit joins it on
 * the host around the clone (plan.joinPid, core/engine/pid-join.ts).
 *
 * With a joined user namespace, the new namespaces are made after it is
 * joined, by unshare, not by clone: as runc's nsexec does, so that they
 * belong to it, and root there may mount, set the hostname... in them.
 */
export function planJoinNamespaces(spec: ContainerSpec): PlanPart {
  const joins = spec.joinNamespaces ?? [];
  if (!joins.length) return {};
  const pid = joins.find((j) => j.namespace === 'pid');
  const container = JOIN_ORDER.flatMap((ns) => joins.filter((j) => j.namespace === ns)).flatMap(({ namespace, path }): ContainerStep[] => [
    { op: 'setns', path, nstype: NAMESPACE_FLAG[namespace], why: `join the existing ${namespace} namespace at ${path} (its path in the config), instead of a new one` },
    ...(namespace === 'user' ? [BECOME_ROOT] : []),
  ]);
  const mount = joins.find((j) => j.namespace === 'mount');
  if (mount && spec.rootDir) {
    // the rootfs steps use host paths: in a joined mount namespace they must lead to the same directory there
    container.push({
      op: 'chdir',
      path: spec.rootDir,
      why: `the root filesystem, as the joined mount namespace sees it: its steps happen there`,
      hint: `root.path ${spec.rootDir} must exist in the joined mount namespace (${mount.path}); one that pivoted into its own root (another container's) has no host paths left`,
    });
  }
  const fresh = newAfterUserJoin(spec);
  if (fresh) container.push({ op: 'unshare', flags: fresh, why: 'the new namespaces, made now that the user namespace is joined: they belong to it, so its root may mount and name them (runc unshares them there too)' });
  return { container, ...(pid ? { joinPid: pid.path } : {}) };
}

/** With a joined user namespace, the namespace flags clone() must not use: kit-init unshares them after the join. */
export function newAfterUserJoin(spec: ContainerSpec): number {
  if (!spec.joinNamespaces?.some((j) => j.namespace === 'user')) return 0;
  return (cloneFlags(spec) & ~SIG.CHLD) >>> 0;
}

const BECOME_ROOT: ContainerStep = {
  op: 'set_user',
  uid: 0,
  gid: 0,
  groups: [],
  why: "become root of the joined user namespace (its uid 0, whichever host uid that is): setns gave the capabilities there, this gives the identity",
};

/** Namespaces that can be joined by path (pid around the clone, the others by kit-init). */
export const JOINABLE: readonly Namespace[] = ['net', 'ipc', 'uts', 'cgroup', 'pid', 'mount', 'user'];
