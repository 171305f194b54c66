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
 * cgroup v2 driver the same rules need a BPF program (not done yet: see
 * the README's Security section); only the /dev kit mounts limits them there.
 */
export function planDevices(spec: ContainerSpec, id: string): PlanPart {
  if (confinement(spec.security).privileged) return {};
  const dir = containerCgroups(spec, id)?.dirs.find((d) => d.controllers.includes('devices'));
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
