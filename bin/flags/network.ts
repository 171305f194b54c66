import { isIP } from 'node:net';
import { hostname as osHostname } from 'node:os';
import { Flags } from '@oclif/core';
import { ANY_PORT, assignHostPorts, checkHostPortFree, type Image, type ContainerSpec, formatPort, iptablesBackend, KitError, type NetworkMode, parsePort, type PortMapping } from '../../core';

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
    helpValue: '[IP:][HOSTPORT:]CTRPORT[/udp]',
    description: "publish a container's port on the host: a DNAT rule in the KIT nat chain (tcp unless /udp); ports may be ranges (8080-8081:80-81), IP limits it to one host address, no HOSTPORT picks a free one (docker run -p)",
  }),
  'publish-all': Flags.boolean({
    char: 'P',
    default: false,
    description: "publish every port the image EXPOSEs on a free host port of the ephemeral range; kit port NAME shows which (docker run -P)",
  }),
  network: Flags.string({
    default: 'bridge',
    helpValue: 'bridge|none|host|container:NAME',
    description: "the container's network: its own netns on kit0 (bridge), its own with lo only (none), the host's (host), or another container's (container:NAME)",
  }),
  'add-host': Flags.string({
    multiple: true,
    multipleNonGreedy: true,
    helpValue: 'NAME:IP',
    description: "one more line in the container's /etc/hosts (docker run --add-host)",
  }),
  dns: Flags.string({
    multiple: true,
    multipleNonGreedy: true,
    helpValue: 'IP',
    description: "a nameserver for the container's /etc/resolv.conf, instead of the host's (docker run --dns)",
  }),
};

export function networkSpec(flags: { publish?: string[]; network: string; 'add-host'?: string[]; dns?: string[]; hostname?: string }): Pick<ContainerSpec, 'network' | 'ports' | 'extraHosts' | 'dns'> {
  const network = parseNetworkMode(flags.network);
  const ports = (flags.publish ?? []).flatMap(parsePort);
  checkPorts(ports.filter((p) => p.hostPort !== ANY_PORT));
  const extraHosts = (flags['add-host'] ?? []).map(parseExtraHost);
  const dns = (flags.dns ?? []).map(parseNameserver);
  // As Docker: a container that joins another's network shares its /etc/hosts and resolv.conf, so it cannot have its own.
  if (network.startsWith('container:') && dns.length) throw new KitError('conflicting options: dns and the network mode', `--network ${network} shares that container's /etc/resolv.conf: drop --dns, or give it to that container`);
  if (network.startsWith('container:') && flags.hostname !== undefined) throw new KitError('conflicting options: hostname and the network mode', `--network ${network} joins that container's network, whose name it keeps: drop -h`);
  if (network.startsWith('container:') && extraHosts.length) throw new KitError('conflicting options: custom host-to-IP mapping and the network mode', `--network ${network} shares that container's /etc/hosts: drop --add-host, or give it to that container`);
  if (network === 'bridge') iptablesBackend(); // missing iptables: one line saying how to install it, before anything is made
  return { network, ports: assignHostPorts(ports), ...(extraHosts.length ? { extraHosts } : {}), ...(dns.length ? { dns } : {}) };
}

/** --add-host NAME:IP (the IP may be IPv6, so the first colon splits). */
function parseExtraHost(text: string): { name: string; address: string } {
  const colon = text.indexOf(':');
  const name = text.slice(0, colon);
  const address = text.slice(colon + 1);
  if (colon < 1 || !/^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/.test(name) || isIP(address) === 0) {
    throw new KitError(`bad --add-host '${text}'`, 'use NAME:IP, e.g. --add-host db:10.0.0.5');
  }
  return { name, address };
}

function parseNameserver(text: string): string {
  if (isIP(text) === 0) throw new KitError(`bad --dns '${text}': not an IP address`, 'give a nameserver\'s address, e.g. --dns 9.9.9.9');
  return text;
}

/** -P: the image's EXPOSE ports not already published with -p, each on a free host port. */
export function publishAll(flags: { 'publish-all'?: boolean }, image: Image, ports: PortMapping[] = []): PortMapping[] {
  if (!flags['publish-all']) return ports;
  const published = new Set(ports.map((p) => `${p.containerPort}/${p.protocol}`));
  const exposed = (image.config.ExposedPorts ?? []).flatMap((text) => {
    const [port, protocol = 'tcp'] = text.split('/');
    return protocol === 'tcp' || protocol === 'udp' ? [{ hostPort: ANY_PORT, containerPort: Number(port), protocol: protocol as PortMapping['protocol'] }] : [];
  });
  return [...ports, ...assignHostPorts(exposed.filter((p) => p.containerPort >= 1 && p.containerPort <= 65535 && !published.has(`${p.containerPort}/${p.protocol}`)))];
}

/**
 * --network host, as Docker: the container still has a UTS namespace of its
 * own, named as the host unless -h names it (only the container sees that).
 */
export function hostNetworkHostname(hostname: string | undefined): string {
  return hostname ?? osHostname();
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
