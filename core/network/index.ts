/**
 * Container networking, one concept per file: the kit0 bridge (Network),
 * veth pairs (Endpoint), IPAM, iptables NAT and port publishing, the shared
 * host network and its prune.
 */
export { BRIDGE, NAT_CHAIN, SUBNET_ENV } from './config';
export { iptablesBackend, type Backend } from './iptables';
export { parsePort, formatPort, checkHostPortFree, assignHostPorts, ANY_PORT, type PortMapping } from './ports';
export { containerAddress } from './endpoint';
export { withNetworkLock } from './lock';
export { bridgeExists } from './bridge';
export { pruneHostNetwork, sharedNetworkPlan, type PruneResult } from './host-network';
