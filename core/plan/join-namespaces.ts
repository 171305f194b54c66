import type { ContainerSpec, Namespace } from '../spec';
import { NAMESPACE_FLAG } from './namespaces';
import type { PlanPart } from './plan';

/**
 * Namespaces the container joins instead of creating (an OCI config's
 * linux.namespaces[].path: podman hands over the network namespace it set
 * up, /run/netns/...). kit-init joins them first, before any mount, so a
 * sysfs mounted later shows the joined network namespace's devices.
 */
export function planJoinNamespaces(spec: ContainerSpec): PlanPart {
  const joins = spec.joinNamespaces ?? [];
  if (!joins.length) return {};
  return {
    container: joins.map(({ namespace, path }) => ({
      op: 'setns',
      path,
      nstype: NAMESPACE_FLAG[namespace],
      why: `join the existing ${namespace} namespace at ${path} (its path in the config), instead of a new one`,
    })),
  };
}

/** Namespaces that can be joined with setns by the container's first process itself. */
export const JOINABLE: readonly Namespace[] = ['net', 'ipc', 'uts', 'cgroup'];
