/**
 * The device rules Docker applies to every container (runc's defaults):
 * deny everything, then allow creating any node (mknod alone opens nothing)
 * and using only the harmless character devices. So root inside may make a
 * node for the host's disk, but opening it fails with EPERM.
 */
export interface DeviceRule {
  type: 'a' | 'b' | 'c';
  /** undefined = any (*). */
  major?: number;
  minor?: number;
  /** r, w, m (mknod). */
  access: string;
  why: string;
}

export const DEFAULT_DEVICE_RULES: DeviceRule[] = [
  { type: 'c', access: 'm', why: 'mknod of any character device (using one needs a rule below)' },
  { type: 'b', access: 'm', why: 'mknod of any block device (never opened: no rule below allows one)' },
  { type: 'c', major: 1, minor: 3, access: 'rwm', why: '/dev/null' },
  { type: 'c', major: 1, minor: 5, access: 'rwm', why: '/dev/zero' },
  { type: 'c', major: 1, minor: 7, access: 'rwm', why: '/dev/full' },
  { type: 'c', major: 1, minor: 8, access: 'rwm', why: '/dev/random' },
  { type: 'c', major: 1, minor: 9, access: 'rwm', why: '/dev/urandom' },
  { type: 'c', major: 5, minor: 0, access: 'rwm', why: '/dev/tty' },
  { type: 'c', major: 5, minor: 1, access: 'rwm', why: '/dev/console' },
  { type: 'c', major: 5, minor: 2, access: 'rwm', why: '/dev/ptmx' },
  { type: 'c', major: 136, access: 'rwm', why: '/dev/pts/*: its own pseudo-terminals' },
];

/** A rule as cgroup v1's devices.allow takes it: `c 1:3 rwm`, `c *:* m`. */
export function deviceRuleText(rule: DeviceRule): string {
  const n = (v: number | undefined) => (v === undefined ? '*' : String(v));
  return `${rule.type} ${n(rule.major)}:${n(rule.minor)} ${rule.access}`;
}
