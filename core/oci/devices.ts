import { KitError } from '../errors';
import { DEFAULT_DEVICE_RULES, deviceRuleText, type DeviceRule } from '../security/devices';
import type { OciConfig } from './config';

type OciDeviceRule = NonNullable<NonNullable<NonNullable<OciConfig['linux']>['resources']>['devices']>[number];

/**
 * linux.resources.devices -> the allow-list kit enforces (cgroup v1's
 * devices.allow lines, or v2's BPF program). As runc: the container starts
 * allowed nothing, the rules apply in order (a deny of everything empties
 * the list, an allow adds to it, a deny takes its access away from the
 * allows it covers), and the devices every container needs (runc's allowed
 * devices, kit's defaults) are appended last. Docker's list is "deny all,
 * allow null, zero... , deny /dev/fuse": the last denies what no allow
 * granted, so it changes nothing. A deny inside a wider allow ("allow
 * c *:* rwm, deny c 10:229") cannot be an allow-list: it is refused.
 */
export function ociDeviceRules(devices: OciDeviceRule[]): DeviceRule[] {
  let allowed: DeviceRule[] = [];
  devices.forEach((d, i) => {
    const field = `linux.resources.devices[${i}]`;
    const rule = normalise(d, field);
    if (d.allow) return void allowed.push(rule);
    allowed = allowed.flatMap((a) => {
      if (!overlaps(a, rule)) return [a];
      if (!covers(rule, a)) throw new KitError(`${field}: denies ${deviceRuleText(rule)} inside the wider allow ${deviceRuleText(a)} (${a.why}): kit-runtime's device rules are an allow-list and cannot carve a hole out of a rule`, 'list the allowed devices one by one, or drop the deny');
      const access = [...a.access].filter((x) => !rule.access.includes(x)).join('');
      return access ? [{ ...a, access }] : [];
    });
  });
  const granted = (d: DeviceRule) => allowed.some((a) => covers(a, d) && [...d.access].every((x) => a.access.includes(x)));
  return [...allowed, ...DEFAULT_DEVICE_RULES.filter((d) => !granted(d))];
}

function normalise(d: OciDeviceRule, field: string): DeviceRule {
  const type = d.type ?? 'a';
  if (type !== 'a' && type !== 'b' && type !== 'c') throw new KitError(`${field}.type: "${type}" is not a device type`, 'use a (all), b (block) or c (character)');
  const access = d.access ?? 'rwm';
  if (!/^[rwm]{1,3}$/.test(access) || new Set(access).size !== access.length) throw new KitError(`${field}.access: "${access}" is not a device access`, 'use some of r (read), w (write), m (mknod), e.g. rwm');
  const number = (v: number | undefined, name: string): number | undefined => {
    if (v === undefined || v === -1) return undefined;
    if (!Number.isInteger(v) || v < 0 || v > 0xfffff) throw new KitError(`${field}.${name}: ${v} is not a device number`, 'give a whole number, or -1 (or nothing) for any');
    return v;
  };
  const [major, minor] = [number(d.major, 'major'), number(d.minor, 'minor')];
  return { type, major, minor, access, why: `${type} ${major ?? '*'}:${minor ?? '*'} ${access} (${field})` };
}

const fieldOverlaps = <T>(a: T | undefined, b: T | undefined, any: T | undefined = undefined): boolean => a === any || b === any || a === b;

function overlaps(a: DeviceRule, b: DeviceRule): boolean {
  return fieldOverlaps(a.type, b.type, 'a') && fieldOverlaps(a.major, b.major) && fieldOverlaps(a.minor, b.minor) && [...a.access].some((x) => b.access.includes(x));
}

/** Whether every device `inner` names is also named by `outer` (access aside). */
function covers(outer: DeviceRule, inner: DeviceRule): boolean {
  return (outer.type === 'a' || outer.type === inner.type) && (outer.major === undefined || outer.major === inner.major) && (outer.minor === undefined || outer.minor === inner.minor);
}
