/**
 * The names and places of kit's bridge network. The bridge, its subnet, the
 * KIT chain and the address leases are host-global: every kit root (KIT_ROOT)
 * on this machine shares one kit0, as every Docker daemon shares docker0, so
 * their state lives in /run/kit-net and not under a kit root.
 */
export const BRIDGE = 'kit0';
export const NET_STATE_DIR = '/run/kit-net';
/** The nat chain holding one DNAT rule per published port (Docker's DOCKER chain). */
export const NAT_CHAIN = 'KIT';
/** Set it to choose kit0's subnet (read when kit0 is created). */
export const SUBNET_ENV = 'KIT_NET_SUBNET';
/**
 * Tried in order when KIT_NET_SUBNET is not set: the first that overlaps no
 * route or address of the host is used. Docker's 172.17.0.0/16 is left to Docker.
 */
export const DEFAULT_SUBNETS = ['172.29.0.0/24', '10.87.0.0/24', '192.168.229.0/24'];

/** The host end of a container's veth pair: kitv + the start of its id (IFNAMSIZ is 16). */
export function hostLinkName(id: string): string {
  return `kitv${id.slice(0, 8)}`;
}

/** The container end until it is moved into the container's netns and renamed eth0. */
export function peerLinkName(id: string): string {
  return `kitc${id.slice(0, 8)}`;
}
