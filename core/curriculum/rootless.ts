import type { ContainerSpec } from '../spec';

/** What of a chapter (chapter.ts) decides whether it needs root; not imported from there, which imports this. */
interface Chapter {
  spec: Partial<ContainerSpec> & Pick<ContainerSpec, 'namespaces'>;
  storage?: unknown;
}

/**
 * Chapters without root. An unprivileged user may create a user namespace,
 * and in it every other kind (the kernel lets the namespace's root make
 * them): so a chapter that only needs namespaces, mounts inside them and
 * files of its own runs through a user namespace that maps the user's own
 * uid to 0, as `unshare -r` and rootless podman do. What changes the host
 * itself cannot: links on the host's bridge, iptables rules, cgroup limits
 * (without a delegated cgroup), overlay mounts made on the host.
 */
export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Why `chapter` needs root, in a few words; undefined when it runs without. */
export function needsRootBecause(chapter: Chapter): string | undefined {
  const spec = chapter.spec;
  if (spec.network === 'bridge' || spec.ports?.length) return 'a veth on the host\'s kit0 bridge and iptables NAT change the host';
  if (spec.resources && Object.keys(limitsOf(spec.resources)).length) return 'cgroup limits need write access to the host\'s cgroups (no delegated cgroup here)';
  if (chapter.storage) return 'the union mount is made on the host, and mounting there needs root';
  return undefined;
}

/**
 * The chapter as this user runs it: its `withoutRoot` part for a user
 * without root, when it has one (the chapter list then marks it ready).
 */
export function forThisUser<C extends { withoutRoot?: Partial<C> }>(chapter: C): C {
  return isRoot() || !chapter.withoutRoot ? chapter : { ...chapter, ...chapter.withoutRoot, withoutRoot: undefined };
}

/** This chapter, run by this user, goes through a user namespace of its own (no root here, none needed). */
export function viaUserNamespace(chapter: Chapter): boolean {
  return !isRoot() && chapter.spec.namespaces.length > 0 && needsRootBecause(chapter) === undefined;
}

/**
 * The same container for a user without root: a user namespace of its own
 * (root inside = the user), and no cgroup of its own (cgroupns then shows
 * the cgroup kit runs in as its root).
 */
export function rootlessSpec(spec: ContainerSpec): ContainerSpec {
  const namespaces = spec.namespaces.includes('user') ? spec.namespaces : [...spec.namespaces, 'user' as const];
  return { ...spec, namespaces, userns: 'self', resources: undefined };
}

function limitsOf(resources: NonNullable<ContainerSpec['resources']>): Record<string, unknown> {
  const { driver: _driver, ...limits } = resources as Record<string, unknown>;
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
}
