import { runCommand } from '../host/command';
import type { TraceRecorder } from '../trace/recorder';
import { BRIDGE } from './config';
import { networkOf, parseAddress, type Subnet } from './subnet';

/**
 * The subnets this host already reaches: its routes and the networks of its
 * addresses (except kit0's own). kit0's subnet must overlap none of them, or
 * packets meant for the LAN or a VPN would go to containers instead.
 */
export function hostSubnets(trace: TraceRecorder): Array<{ subnet: Subnet; line: string }> {
  const routes = runCommand(trace, "read the host's routes: kit0's subnet must not overlap any", ['ip', '-4', '-o', 'route', 'show', 'table', 'all']);
  const addrs = runCommand(trace, "read the host's addresses", ['ip', '-4', '-o', 'addr', 'show']);
  const fromRoutes = routes.stdout.split('\n').filter((l) => l && !l.startsWith('default') && !l.includes(`dev ${BRIDGE} `)).map((l) => ({ cidr: l.replace(/^(local|broadcast|unicast|multicast) /, '').split(' ')[0], line: l }));
  const fromAddrs = addrs.stdout.split('\n').filter((l) => l && !l.includes(` ${BRIDGE} `)).map((l) => ({ cidr: l.split(/\s+/)[3], line: l }));
  return [...fromRoutes, ...fromAddrs].flatMap(({ cidr, line }) => {
    const subnet = toSubnet(cidr);
    return subnet ? [{ subnet, line: line.trim() }] : [];
  });
}

/** 192.0.2.0/24, 192.0.2.7/24 (an address: its network) or a lone address (a /32). */
function toSubnet(cidr: string | undefined): Subnet | undefined {
  const m = /^(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?$/.exec(cidr ?? '');
  if (!m) return undefined;
  const prefix = Number(m[2] ?? 32);
  return prefix === 0 ? undefined : networkOf(parseAddress(m[1]), prefix);
}
