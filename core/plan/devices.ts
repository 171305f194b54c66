import { containerCgroups } from '../cgroups/container';
import { DEFAULT_DEVICE_RULES, deviceRuleText, type DeviceRule } from '../security/devices';
import { confinement } from '../security/options';
import { hasNamespace, type ContainerSpec } from '../spec';
import { deviceMappingRules } from './device-nodes';
import type { PlanPart } from './plan';

/**
 * Which device nodes the container may open, enforced by the kernel on
 * open(2) whatever the node's owner or mode: cgroup v1's devices
 * controller, written before the child joins its cgroups (planCgroups
 * made the directory). `--privileged` keeps the parent's allow-all. On a
 * cgroup v2 driver, see planDeviceProgram.
 */
export function planDevices(spec: ContainerSpec, id: string): PlanPart {
  if (confinement(spec.security).privileged) return {};
  const cgroups = containerCgroups(spec, id);
  const dir = cgroups?.driver.version === 'v1' ? cgroups.dirs.find((d) => d.controllers.includes('devices')) : undefined;
  if (!dir) return {};
  return {
    prepare: [
      {
        why: "Docker's device rules",
        run: (ctx) => {
          ctx.trace.check('devices: deny every device first (a = all types, *:*, rwm)...', (n) => n.writeFile(`${dir.path}/devices.deny`, 'a'));
          for (const rule of deviceRules(spec)) {
            ctx.trace.check(`...then allow ${rule.why}`, (n) => n.writeFile(`${dir.path}/devices.allow`, deviceRuleText(rule)));
          }
        },
      },
    ],
  };
}

/** The allow-list: an OCI config's (kit-runtime) or Docker's defaults, then each --device's own. */
function deviceRules(spec: ContainerSpec): DeviceRule[] {
  return [...(spec.security?.devices ?? DEFAULT_DEVICE_RULES), ...deviceMappingRules(spec)];
}

/**
 * cgroup v2 has no devices files: the same rules are an eBPF program
 * (native-rs/src/device_program.rs) attached to the container's cgroup, as
 * runc and crun do. kit-init loads and attaches it as its first step, while
 * the host's cgroup tree is still visible in its mount namespace and it
 * still holds CAP_SYS_ADMIN (it is already in the cgroup: the host put it
 * there before releasing it). In a user namespace kit-init's capabilities
 * count only there, and loading a program needs CAP_SYS_ADMIN (or CAP_BPF)
 * in the host's: so kit, on the host, loads and attaches the same program
 * while the child waits, as crun does for a rootful user-namespaced
 * container. The rules matter there too: an image may carry device nodes,
 * and root inside owns them.
 */
export function planDeviceProgram(spec: ContainerSpec, id: string): PlanPart {
  if (confinement(spec.security).privileged) return {};
  const cgroups = containerCgroups(spec, id);
  if (cgroups?.driver.version !== 'v2') return {};
  const cgroup = cgroups.dirs[0].path;
  const allowed = deviceRules(spec);
  const rules = allowed.map((r) => `${r.type}:${r.major ?? '*'}:${r.minor ?? '*'}:${r.access}`);
  const why = spec.security?.devices || spec.devices?.length
    ? `the device rules on cgroup v2: a BPF program on the container's cgroup allows ${allowed.length} rules (${allowed.map(deviceRuleText).join(', ')}) and refuses the rest`
    : `Docker's device rules on cgroup v2: a BPF program on the container's cgroup allows mknod of any node and only ${DEFAULT_DEVICE_RULES.filter((r) => r.access !== 'm').length} harmless devices (null, zero, full, random, urandom, tty, console, ptmx, pts)`;
  if (hasNamespace(spec, 'user')) {
    return { attach: [{ why: `${why}; loaded by kit on the host: in its user namespace the container's root may not load BPF`, run: (ctx) => void ctx.trace.check(undefined, (n) => n.attachDeviceProgram(cgroup, rules)) }] };
  }
  return { container: [{ op: 'device_program', cgroup, rules, why }] };
}