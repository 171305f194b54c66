import { release } from 'node:os';
import type { ArgCheck, RuleCondition, SeccompAction, SeccompProfile, SeccompRule } from './seccomp-profile';
import { kernelAtLeast } from '../kernel-version';

/** What a profile's rules are resolved against: the container's capabilities, this CPU and kernel. */
export interface SeccompTarget {
  caps: string[];
  arch: string;
  kernel: string;
}

/**
 * One BPF filter for kit-init to install: calls matching `rules` get
 * `match`, all others `otherwise`. The kernel runs every installed filter
 * and keeps the most severe answer (kill > trap > errno > trace > log >
 * allow), the newest filter's on a tie.
 */
export interface SeccompFilter {
  otherwise: SeccompAction;
  match: SeccompAction;
  rules: SeccompRule[];
}

/**
 * A profile as the filters that implement it for this container. seccompiler
 * compiles one action per filter, so a profile whose rules have different
 * actions becomes one filter per action: the first says "allowed" for every
 * call any rule names (and the default action for the rest); each next one
 * says its action for its own rules and "allowed" for the rest. By the
 * kernel's "most severe wins", a call then gets its rule's action, or the
 * default. A rule whose action is the default changes nothing (libseccomp
 * refuses those; runc skips them): skipped too.
 */
export function seccompFilters(profile: SeccompProfile, target: SeccompTarget): SeccompFilter[] {
  const rules = profile.rules.filter((r) => applies(r, target) && !sameAction(r.action, profile.defaultAction));
  const filters: SeccompFilter[] = [];
  if (profile.defaultAction.kind !== 'allow') filters.push({ otherwise: profile.defaultAction, match: { kind: 'allow' }, rules });
  const others = rules.filter((r) => r.action.kind !== 'allow');
  for (const action of distinct(others.map((r) => r.action))) {
    filters.push({ otherwise: { kind: 'allow' }, match: action, rules: others.filter((r) => sameAction(r.action, action)) });
  }
  return filters;
}

/** The host's architecture in Go's names (Docker's profiles use them). */
export function goArch(nodeArch: string = process.arch): string {
  return ({ x64: 'amd64', ia32: 'x86', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64' } as Record<string, string>)[nodeArch] ?? nodeArch;
}

export function hostTarget(caps: string[]): SeccompTarget {
  return { caps, arch: goArch(), kernel: release() };
}

function applies(rule: SeccompRule, t: SeccompTarget): boolean {
  return holdsAll(rule.includes, t) && !holdsAny(rule.excludes, t);
}

function holdsAll(c: RuleCondition | undefined, t: SeccompTarget): boolean {
  if (!c) return true;
  if (c.caps && !c.caps.every((cap) => t.caps.includes(cap))) return false;
  if (c.arches && !c.arches.includes(t.arch)) return false;
  return !c.minKernel || kernelAtLeast(t.kernel, c.minKernel);
}

function holdsAny(c: RuleCondition | undefined, t: SeccompTarget): boolean {
  if (!c) return false;
  return (c.caps ?? []).some((cap) => t.caps.includes(cap)) || (c.arches ?? []).includes(t.arch) || (c.minKernel !== undefined && kernelAtLeast(t.kernel, c.minKernel));
}

function sameAction(a: SeccompAction, b: SeccompAction): boolean {
  return actionText(a) === actionText(b);
}

function distinct(actions: SeccompAction[]): SeccompAction[] {
  return [...new Map(actions.map((a) => [actionText(a), a])).values()];
}

/** The wire form kit-init parses (native-rs/src/seccomp_filter.rs): `allow`, `errno:1`... */
export function actionText(a: SeccompAction): string {
  return 'data' in a ? `${a.kind}:${a.data}` : a.kind;
}

/** One field per syscall of a rule: `name`, or `name|INDEX:OP:VALUE[:VALUE2]|...`. */
export function ruleFields(rule: SeccompRule): string[] {
  const conditions = (rule.args ?? []).map(argText);
  return rule.names.map((name) => [name, ...conditions].join('|'));
}

function argText(a: ArgCheck): string {
  return a.op === 'masked_eq' ? `${a.index}:masked_eq:${a.value}:${a.valueTwo ?? 0}` : `${a.index}:${a.op}:${a.value}`;
}
