import { existsSync, readdirSync } from 'node:fs';
import type { HostChanges } from '../host/journal';
import type { TraceRecorder } from '../trace/recorder';
import { BRIDGE } from './config';
import { gateway, type Subnet } from './subnet';

/**
 * kit0, the Network in libnetwork's words: a virtual switch in the host's
 * network namespace (Docker's docker0). Every container's veth plugs into it;
 * its own address is the containers' gateway, so the host can reach them and
 * they reach the host, each other and (through NAT) the outside.
 */
export function createBridge(trace: TraceRecorder, changes: HostChanges, subnet: Subnet): void {
  changes.make({ op: 'link-delete', name: BRIDGE }, () =>
    trace.check(`create the ${BRIDGE} bridge: a virtual switch the containers' veths plug into (Docker's docker0) = ip link add ${BRIDGE} type bridge`, (n) => n.bridgeAdd(BRIDGE)),
  );
  const cidr = `${gateway(subnet)}/${subnet.prefix}`;
  trace.check(`give the bridge the subnet's first address: the containers' gateway, and a route to the subnet for the host = ip addr add ${cidr} dev ${BRIDGE}`, (n) => n.addrAdd(BRIDGE, gateway(subnet), subnet.prefix));
  trace.check(`bring the bridge up = ip link set ${BRIDGE} up`, (n) => n.linkSet(BRIDGE, '', true));
}

export function bridgeExists(): boolean {
  return existsSync(`/sys/class/net/${BRIDGE}`);
}

/** The links plugged into kit0 (what `brctl show` lists under interfaces). */
export function bridgeMembers(): string[] {
  try {
    return readdirSync(`/sys/class/net/${BRIDGE}/brif`);
  } catch {
    return [];
  }
}
