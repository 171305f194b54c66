import { capabilityMask, capabilityNumber, CAPABILITIES, lastCapability, processCapabilities } from '../security/capabilities';
import { confinement, type Confinement } from '../security/options';
import { actionText, hostTarget, ruleFields, seccompFilters, type SeccompFilter } from '../security/seccomp-resolve';
import type { ContainerSpec } from '../spec';
import type { ContainerStep, PlanPart } from './plan';

/**
 * Docker's default confinement, the last thing kit-init does before the
 * command (and before a chapter's demo, which then runs confined), in
 * runc's order: no_new_privs; seccomp while kit-init may still install a
 * filter without no_new_privs (that needs CAP_SYS_ADMIN); the bounding set
 * (the ceiling for every later execve); the capability sets themselves; the
 * ambient set emptied. With no_new_privs, seccomp comes last instead, so the
 * filter need not allow kit-init's own capset and prctl calls.
 */
export function planSecurity(spec: ContainerSpec): PlanPart {
  return { container: confinementSteps(confinement(spec.security), spec.user) };
}

/**
 * With a `user` (an OCI config's process.user), kit-init becomes that user
 * between the bounding-set drop (which needs CAP_SETPCAP, root's) and the
 * capset, as runc does.
 */
export function confinementSteps(c: Confinement, user?: ContainerSpec['user']): ContainerStep[] {
  const seccomp = c.seccomp ? seccompSteps(c) : [];
  const become = user ? [userStep(user)] : [];
  return [
    ...(c.noNewPrivileges ? [noNewPrivsStep()] : []),
    ...(c.noNewPrivileges ? [] : seccomp),
    ...(c.privileged ? become : capabilitySteps(c.caps, become)),
    ...(c.noNewPrivileges ? seccomp : []),
  ];
}

function userStep(user: NonNullable<ContainerSpec['user']>): ContainerStep {
  const groups = user.groups.length ? `, supplementary groups ${user.groups.join(',')}` : ', no supplementary groups';
  return {
    op: 'set_user',
    uid: user.uid,
    gid: user.gid,
    groups: user.groups,
    why: `become uid ${user.uid}, gid ${user.gid}${groups} (process.user), keeping the capabilities across the change (PR_SET_KEEPCAPS) for the capset below`,
  };
}

function noNewPrivsStep(): ContainerStep {
  return { op: 'no_new_privs', why: 'no-new-privileges: from here on no setuid bit or file capability can raise privileges (and seccomp needs no CAP_SYS_ADMIN)' };
}

function capabilitySteps(caps: string[], become: ContainerStep[] = []): ContainerStep[] {
  // kit cannot hand out what it does not hold itself (a sandbox may lack some).
  const held = processCapabilities('self', 'CapBnd');
  const kept = caps.filter((c) => held & (1n << BigInt(capabilityNumber(c))));
  const mask = Number(capabilityMask(kept)); // 41 bits today: exact as a JS number
  const dropped = [...Array(lastCapability() + 1).keys()].filter((n) => !kept.includes(CAPABILITIES[n]));
  return [
    ...(dropped.length ? [{ op: 'capbset_drop' as const, caps: dropped, why: `drop ${dropped.length} capabilities from the bounding set: after execve the command can have only the ${kept.length} kept` }] : []),
    ...become,
    // Inheritable stays empty, as in runc since 1.1.2 and Docker since 20.10.14 (CVE-2022-24769):
    // root gains nothing from it, and with it a non-root user's execve of a program with
    // inheritable file capabilities (setcap cap_net_admin+ei) would get them.
    { op: 'capset', effective: mask, permitted: mask, inheritable: 0, why: kept.length ? `keep ${kept.length} capabilities (effective, permitted; inheritable empty, as Docker since CVE-2022-24769): ${kept.join(', ')}` : 'keep no capability at all: root in name only' },
    { op: 'ambient_clear', why: 'no ambient capabilities: nothing is passed on to non-root programs it runs' },
  ];
}

function seccompSteps(c: Confinement): ContainerStep[] {
  const profile = c.seccomp!;
  const filters = seccompFilters(profile, hostTarget(c.caps));
  return filters.map((f, i) => ({
    op: 'seccomp',
    defaultAction: actionText(f.otherwise),
    matchAction: actionText(f.match),
    rules: f.rules.flatMap(ruleFields),
    why: filterWhy(profile.name, f, i, filters.length),
  }));
}

function filterWhy(profile: string, f: SeccompFilter, i: number, count: number): string {
  const calls = new Set(f.rules.flatMap((r) => r.names)).size;
  const of = count > 1 ? ` (filter ${i + 1} of ${count})` : '';
  if (f.match.kind === 'allow') return `seccomp, ${profile}${of}: ${calls} syscall names allowed, any other call ${describe(f.otherwise)}`;
  return `seccomp, ${profile}${of}: ${[...new Set(f.rules.flatMap((r) => r.names))].join(', ')} ${describe(f.match)}`;
}

const ERRNO_NAMES: Record<number, string> = { 1: 'EPERM', 13: 'EACCES', 38: 'ENOSYS' };

function describe(action: SeccompFilter['match']): string {
  if (action.kind === 'errno') return `fails with ${ERRNO_NAMES[action.data] ?? `errno ${action.data}`}`;
  if (action.kind === 'kill_process' || action.kind === 'kill_thread') return 'kills the caller';
  return `gets ${action.kind}`;
}
