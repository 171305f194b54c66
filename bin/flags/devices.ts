import { Flags } from '@oclif/core';
import { KitError, parseDevice, type ContainerSpec } from '../../core';

/** docker run --device: a host device node made in the container's /dev and allowed by its device rules. */
export const deviceFlags = {
  device: Flags.string({
    multiple: true,
    multipleNonGreedy: true,
    helpGroup: 'SECURITY',
    helpValue: 'HOST[:CTR[:rwm]]',
    description: "give the container the host's device node HOST (at CTR, default the same path under /dev) and allow it in its device rules: read, write, mknod (default rwm). Turns a protection off: it reaches that hardware of the host (docker run --device)",
  }),
};

export function deviceSpec(flags: { device?: string[] }): Pick<ContainerSpec, 'devices'> {
  if (!flags.device?.length) return {};
  const devices = flags.device.map(parseDevice);
  const twice = devices.find((d, i) => devices.findIndex((e) => e.path === d.path) !== i);
  if (twice) throw new KitError(`--device: two devices at ${twice.path} in the container`, 'give each its own path, HOST:/dev/NAME');
  return { devices };
}
