import { spawnSync } from 'node:child_process';
import type { HostChanges } from '../host/journal';
import type { ContainerStep } from '../plan/plan';
import type { TraceRecorder } from '../trace/recorder';
import { BRIDGE, hostLinkName, peerLinkName } from './config';
import { gateway, parseAddress, type Subnet } from './subnet';

/**
 * A container's Endpoint (libnetwork's word): a veth pair, two network
 * links joined like the ends of a cable. One end stays on the host, plugged
 * into kit0; the other is moved into the container's network namespace and
 * becomes its eth0.
 * kit speaks rtnetlink, the socket `ip` itself talks to the kernel through
 * (native-rs/src/sys/netlink.rs): one message per change, each traced with
 * the `ip` command that sends the same one, and no program started.
 */
export function createVeth(trace: TraceRecorder, changes: HostChanges, id: string): void {
  const host = hostLinkName(id);
  const peer = peerLinkName(id);
  changes.make({ op: 'link-delete', name: host }, () =>
    trace.check(`create a veth pair: what goes in one end comes out of the other (deleting one end deletes both) = ip link add ${host} type veth peer name ${peer}`, (n) => n.vethAdd(host, peer)),
  );
  trace.check(`plug the host end into ${BRIDGE} and bring it up = ip link set ${host} master ${BRIDGE} up`, (n) => n.linkSet(host, BRIDGE, true));
}

/**
 * Move the container end into the container's network namespace, by an fd
 * of /proc/PID/ns/net (the pid of its first process). The links inside are
 * then configured by kit-init, from in there (containerSideSteps).
 */
export function moveIntoContainer(trace: TraceRecorder, id: string, pid: number): void {
  const peer = peerLinkName(id);
  trace.check(`move the container end into the container's network namespace (by the pid of its first process, ${pid}) = ip link set ${peer} netns ${pid}`, (n) => n.linkSetNetns(peer, `/proc/${pid}/ns/net`));
}

/**
 * What kit-init does inside the new network namespace, before anything
 * confines it (it holds CAP_NET_ADMIN there, with or without a user
 * namespace): eth0 named, with a MAC derived from its address (as Docker
 * does, so the same address always has the same MAC), the address, up, lo
 * up, and a default route through the gateway on kit0.
 * The plan is made before IPAM leases the address (a prepare step, under
 * the network lock), and sent to kit-init after it: `lease` fills the
 * address into these very steps once it is known.
 */
export function configureInside(id: string): { steps: ContainerStep[]; lease(address: string, subnet: Subnet): void } {
  const peer = peerLinkName(id);
  const why = { rename: 'name it eth0, as every container sees it, with a MAC address derived from the IP address', addr: "the address IPAM leased, on kit0's subnet", route: `the default route goes through the gateway, ${BRIDGE}'s address` };
  const rename = { op: 'link_set', link: peer, name: 'eth0', mac: '', up: false, why: why.rename } satisfies ContainerStep;
  const addr = { op: 'addr_add', link: 'eth0', address: '', prefix: 0, why: why.addr } satisfies ContainerStep;
  const route = { op: 'route_add_default', gateway: '', why: why.route } satisfies ContainerStep;
  const up: ContainerStep = { op: 'link_set', link: 'eth0', name: '', mac: '', up: true, why: 'bring eth0 up = ip link set eth0 up' };
  const lease = (address: string, subnet: Subnet) => {
    const mac = macFor(address);
    Object.assign(rename, { mac, why: `${why.rename} = ip link set ${peer} name eth0 address ${mac}` });
    Object.assign(addr, { address, prefix: subnet.prefix, why: `${why.addr} = ip addr add ${address}/${subnet.prefix} dev eth0` });
    Object.assign(route, { gateway: gateway(subnet), why: `${why.route} = ip route add default via ${gateway(subnet)}` });
  };
  return { steps: [rename, addr, up, loopbackUp(), route], lease };
}

/** A new netns has only lo, and down: without it even 127.0.0.1 is unreachable inside. */
export function loopbackUp(): ContainerStep {
  return { op: 'link_set', link: 'lo', name: '', mac: '', up: true, why: 'bring lo up: a new network namespace starts with lo alone, down = ip link set lo up' };
}

const ENODEV = -19;

/** Delete a link kit made; one already gone (a veth goes with the namespace its other end was in) is fine. */
export function deleteLink(trace: TraceRecorder, why: string, name: string): string | undefined {
  const ret = trace.host(`${why} = ip link delete ${name} (ENODEV: already gone, as a veth goes with the namespace its other end was in)`, (n) => n.linkDelete(name));
  return ret < 0 && ret !== ENODEV ? `could not delete link ${name} (errno ${-ret})` : undefined;
}

/**
 * argv that runs `ip ...` inside the network namespace of process `pid`
 * (probes that show a container's links). Without root, the namespace
 * belongs to the container's user namespace, and only from inside that one
 * may it be entered: enter it first (its owner may; there the user is root).
 */
export function inNetns(pid: number, argv: string[]): string[] {
  const user = process.getuid?.() === 0 ? [] : [`--user=/proc/${pid}/ns/user`, '--preserve-credentials'];
  return ['nsenter', ...user, `--net=/proc/${pid}/ns/net`, ...argv];
}

/** 02:6b ("k", locally administered) followed by the four bytes of the IPv4 address. */
function macFor(address: string): string {
  const n = parseAddress(address);
  const bytes = [0x02, 0x6b, (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** The container's address on eth0, read from inside its netns (undefined: no eth0, or no address yet). */
export function containerAddress(pid: number): string | undefined {
  const [program, ...args] = inNetns(pid, ['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0']);
  const r = spawnSync(program, args, { encoding: 'utf8' });
  return /inet (\d+\.\d+\.\d+\.\d+)\//.exec(r.stdout ?? '')?.[1];
}
