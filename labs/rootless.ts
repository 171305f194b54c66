import type { Lab } from './lab';

/**
 * Labs without root. An unprivileged user may create a user namespace, and
 * its root may create every other kind of namespace, mount in them, chroot
 * and pivot_root there: so most labs run the student's code inside a user
 * namespace that maps the user's own uid to 0 (core/plan/userns.ts, mode
 * 'self'), as `kit chapter` and rootless podman do. What changes the host
 * itself (a cgroup limit, a veth on its bridge, an iptables rule, an overlay
 * mounted on the host) still needs root, and the lab says why.
 */
export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Why this user cannot check `lab` (one line), or undefined when they can. */
export function needsRootBecause(lab: Lab): string | undefined {
  if (isRoot()) return undefined;
  const mode = lab.withoutRoot ?? 'user-namespace';
  return typeof mode === 'object' ? mode.needsRoot : undefined;
}

/** Whether this user's run of `lab` goes through a user namespace kit adds (no root here, none needed). */
export function viaUserNamespace(lab: Lab): boolean {
  return !isRoot() && (lab.withoutRoot ?? 'user-namespace') === 'user-namespace';
}

/** The command a student types to check `lab`: with sudo only for a lab that truly needs root. */
export function checkCommandFor(lab: Lab): string {
  return `${typeof lab.withoutRoot === 'object' ? 'sudo ' : ''}kit lab check ${lab.id}`;
}
