/**
 * A seccomp profile as kit holds it: Docker's model (the `--security-opt
 * seccomp=FILE` JSON format, core/security/docker-seccomp.ts, and kit's own
 * default, core/security/seccomp-default.ts, both become this). A rule names
 * syscalls, what happens when one is called (with `args` all holding), and
 * when the rule applies at all: `includes` must all hold, `excludes` must
 * not (a capability the container has, the CPU architecture, the kernel).
 */
export interface SeccompProfile {
  /** Where it came from, for the trace: "Docker's default profile", a file name. */
  name: string;
  /** What every call no rule matches gets. */
  defaultAction: SeccompAction;
  rules: SeccompRule[];
}

export type SeccompAction =
  | { kind: 'allow' | 'kill_process' | 'kill_thread' | 'trap' | 'log' }
  | { kind: 'errno' | 'trace'; data: number };

export interface SeccompRule {
  names: string[];
  action: SeccompAction;
  args?: ArgCheck[];
  includes?: RuleCondition;
  excludes?: RuleCondition;
  /** Why the rule is there (kit's own profile), shown nowhere but the source. */
  why?: string;
}

/** Argument `index` compared with `value`; masked_eq: (arg & value) == valueTwo, as libseccomp. */
export interface ArgCheck {
  index: number;
  op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'masked_eq';
  value: number;
  valueTwo?: number;
}

export interface RuleCondition {
  /** Capability names without CAP_ (includes: all of them; excludes: any of them). */
  caps?: string[];
  /** Go's architecture names, as Docker's profile uses them: amd64, arm64, x86, s390x... */
  arches?: string[];
  /** "4.8": the kernel must be at least this. */
  minKernel?: string;
}

export const ALLOW: SeccompAction = { kind: 'allow' };

export function errno(data: number): SeccompAction {
  return { kind: 'errno', data };
}
