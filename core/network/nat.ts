import type { HostChanges } from '../host/journal';
import type { TraceRecorder } from '../trace/recorder';
import { BRIDGE, NAT_CHAIN } from './config';
import { ensureChain, ensureRule, type Backend, type Rule } from './iptables';
import { formatSubnet, type Subnet } from './subnet';
import { ensureSysctl } from './sysctl';

/** Every rule kit adds to a chain it does not own carries this comment, so `iptables -S` shows whose it is. */
const KIT_COMMENT = ['-m', 'comment', '--comment', 'kit'];

/**
 * The NAT and forwarding every kit container shares, made once with kit0:
 * - net.ipv4.ip_forward=1: the host routes packets between kit0 and its other links
 * - route_localnet on kit0: lets a packet from 127.0.0.1 be DNATed out of kit0,
 *   which is what publishing on 127.0.0.1 without a userland proxy needs
 * - a KIT chain in the nat table, jumped to from PREROUTING (packets arriving
 *   from outside) and OUTPUT (packets the host itself sends, to a local address)
 * - MASQUERADE: containers' packets leaving by another link take the host's
 *   address; packets from 127.0.0.1 into kit0 take the gateway's
 * - FORWARD ACCEPT in and out of kit0, ahead of any DROP of the host's
 * - the guard route_localnet needs (the rule Kubernetes and Amazon ECS add
 *   with it): a packet arriving on kit0 for 127.0.0.0/8 is dropped unless it
 *   belongs to a connection the host made or DNATed. route_localnet makes
 *   the kernel accept such packets, so without the guard a container that
 *   routes 127.0.0.1 to its gateway (or forges a frame with its NET_RAW)
 *   reaches services the host bound to 127.0.0.1 only. Docker avoids the
 *   exposure with its userland proxy; kit keeps the proxy-less DNAT (the
 *   lesson of the net chapter) and adds the guard.
 */
function sharedRules(subnet: Subnet): Array<Rule & { why: string; first?: boolean }> {
  const cidr = formatSubnet(subnet);
  const jump = ['-m', 'addrtype', '--dst-type', 'LOCAL', ...KIT_COMMENT, '-j', NAT_CHAIN];
  return [
    { table: 'nat', chain: 'PREROUTING', spec: jump, why: `packets arriving for a local address go through ${NAT_CHAIN} (a published port may match)` },
    { table: 'nat', chain: 'OUTPUT', spec: jump, why: `so do packets the host sends to itself (curl 127.0.0.1:8080)` },
    { table: 'nat', chain: 'POSTROUTING', spec: ['-s', cidr, '!', '-o', BRIDGE, ...KIT_COMMENT, '-j', 'MASQUERADE'], why: "containers going out take the host's address (SNAT): the outside never sees the private subnet" },
    { table: 'nat', chain: 'POSTROUTING', spec: ['-s', '127.0.0.0/8', '-o', BRIDGE, ...KIT_COMMENT, '-j', 'MASQUERADE'], why: "a connection from 127.0.0.1 to a published port enters kit0 from the gateway's address: the container could not answer 127.0.0.1" },
    { table: 'filter', chain: 'FORWARD', spec: ['-i', BRIDGE, ...KIT_COMMENT, '-j', 'ACCEPT'], why: 'let the host forward what containers send', first: true },
    { table: 'filter', chain: 'FORWARD', spec: ['-o', BRIDGE, ...KIT_COMMENT, '-j', 'ACCEPT'], why: 'and what is sent to them', first: true },
    localnetGuard(),
  ];
}

/**
 * The guard route_localnet needs (the rule Kubernetes and Amazon ECS add with
 * it): a packet arriving on kit0 for 127.0.0.0/8 is dropped unless it belongs
 * to a connection the host made or DNATed.
 */
export function localnetGuard(): Rule & { why: string; first: boolean } {
  return {
    table: 'filter',
    chain: 'INPUT',
    spec: ['-i', BRIDGE, '-d', '127.0.0.0/8', '-m', 'conntrack', '!', '--ctstate', 'RELATED,ESTABLISHED,DNAT', ...KIT_COMMENT, '-j', 'DROP'],
    why: "the guard route_localnet needs: nothing from a container reaches the host's 127.0.0.1-only services (only replies to the host's own connections pass)",
    first: true,
  };
}

export function setupNat(trace: TraceRecorder, changes: HostChanges, subnet: Subnet, backend: Backend): void {
  ensureSysctl(trace, changes, 'net.ipv4.ip_forward', '1', 'turn on IP forwarding: without it the host drops packets between kit0 and its other links');
  ensureSysctl(trace, changes, `net.ipv4.conf.${BRIDGE}.route_localnet`, '1', `allow 127.0.0.1 as a source on ${BRIDGE}: the published port answers on 127.0.0.1 without a proxy process`);
  ensureChain(trace, changes, 'nat', NAT_CHAIN, `a chain of kit's own for the port-publishing DNAT rules (Docker's DOCKER chain), in the ${backend} backend's nat table`);
  for (const rule of sharedRules(subnet)) ensureRule(trace, changes, rule, rule.why, rule.first);
}
