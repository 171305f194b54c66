import { containerCgroups } from '../cgroups/container';
import { DEFAULT_DEVICE_RULES, deviceRuleText } from '../security/devices';
import { confinement } from '../security/options';
import type { ContainerSpec } from '../spec';
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
          for (const rule of DEFAULT_DEVICE_RULES) {
            ctx.trace.check(`...then allow ${rule.why}`, (n) => n.writeFile(`${dir.path}/devices.allow`, deviceRuleText(rule)));
          }
        },
      },
    ],
  };
}

/**
 * cgroup v2 has no devices files: the same rules are an eBPF program
 * (native-rs/src/device_program.rs) attached to the container's cgroup, as
 * runc and crun do. kit-init loads and attaches it as its first step, while
 * the host's cgroup tree is still visible in its mount namespace and it
 * still holds CAP_SYS_ADMIN (it is already in the cgroup: the host put it
 * there before releasing it). Not in a user namespace: loading a program
 * needs CAP_SYS_ADMIN in the host's.
 */
export function planDeviceProgram(spec: ContainerSpec, id: string): PlanPart {
  if (confinement(spec.security).privileged || spec.namespaces.includes('user')) return {};
  const cgroups = containerCgroups(spec, id);
  if (cgroups?.driver.version !== 'v2') return {};
  const rule = (r: (typeof DEFAULT_DEVICE_RULES)[number]) => `${r.type}:${r.major ?? '*'}:${r.minor ?? '*'}:${r.access}`;
  return {
    container: [
      {
        op: 'device_program',
        cgroup: cgroups.dirs[0].path,
        rules: DEFAULT_DEVICE_RULES.map(rule),
        why: `Docker's device rules on cgroup v2: a BPF program on the container's cgroup allows mknod of any node and only ${DEFAULT_DEVICE_RULES.filter((r) => r.access !== 'm').length} harmless devices (null, zero, full, random, urandom, tty, console, ptmx, pts)`,
      },
    ],
  };
}
