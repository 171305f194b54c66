import { Flags } from '@oclif/core';
import { checkHostPortFree, type ContainerSpec, formatPort, iptablesBackend, KitError, type NetworkMode, parsePort, type PortMapping } from '../../core';

/**
 * docker run's network flags, for `kit run` (and any command that starts a
 * container) to spread into its own: `static flags = { ...networkFlags }`,
 * then `networkSpec(flags)` for the spec's network and ports.
 */
export const networkFlags = {
  publish: Flags.string({
    char: 'p',
    multiple: true,
    multipleNonGreedy: true, // -p 80:80 IMAGE: the image is not a second -p value
    helpValue: 'HOSTPORT:CTRPORT[/udp]',
    description: "publish a container's port on the host: a DNAT rule in the KIT nat chain (tcp unless /udp)",
  }),
  network: Flags.string({
    default: 'bridge',
    helpValue: 'bridge|none|host|container:NAME',
    description: "the container's network: its own netns on kit0 (bridge), its own with lo only (none), the host's (host), or another container's (container:NAME)",
  }),
};

export function networkSpec(flags: { publish?: string[]; network: string }): Pick<ContainerSpec, 'network' | 'ports'> {
  const network = parseNetworkMode(flags.network);
  const ports = (flags.publish ?? []).map(parsePort);
  checkPorts(ports);
  if (network === 'bridge') iptablesBackend(); // missing iptables: one line saying how to install it, before anything is made
  return { network, ports };
}

function parseNetworkMode(text: string): NetworkMode {
  if (text === 'bridge' || text === 'none' || text === 'host') return text;
  if (/^container:.+/.test(text)) return text as NetworkMode;
  throw new KitError(`bad --network value '${text}'`, 'use bridge, none, host or container:NAME');
}

/** The same host port twice in one command, or one a host process uses: refused before anything is made. */
function checkPorts(ports: PortMapping[]): void {
  const seen = new Set<string>();
  for (const p of ports) {
    const key = `${p.hostPort}/${p.protocol}`;
    if (seen.has(key)) throw new KitError(`host port ${key} is published twice (${formatPort(p)})`, 'give each -p its own host port');
    seen.add(key);
    checkHostPortFree(p);
  }
}
