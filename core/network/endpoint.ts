import { spawnSync } from 'node:child_process';
import { checkCommand } from '../host/command';
import type { HostChanges } from '../host/journal';
import type { TraceRecorder } from '../trace/recorder';
import { BRIDGE, hostLinkName, peerLinkName } from './config';
import { gateway, parseAddress, type Subnet } from './subnet';

/**
 * A container's Endpoint (libnetwork's word): a veth pair, two network
 * links joined like the ends of a cable. One end stays on the host, plugged
 * into kit0; the other is moved into the container's network namespace and
 * becomes its eth0.
 */
export function createVeth(trace: TraceRecorder, changes: HostChanges, id: string): void {
  const host = hostLinkName(id);
  changes.make({ op: 'link-delete', name: host }, () =>
    checkCommand(trace, 'create a veth pair: what goes in one end comes out of the other (deleting one end deletes both)', [
      'ip', 'link', 'add', host, 'type', 'veth', 'peer', 'name', peerLinkName(id),
    ]),
  );
  checkCommand(trace, `plug the host end into ${BRIDGE}`, ['ip', 'link', 'set', host, 'master', BRIDGE]);
  checkCommand(trace, 'bring the host end up', ['ip', 'link', 'set', host, 'up']);
}

/**
 * argv that runs `ip ...` inside the network namespace of process `pid`.
 * Without root, the namespace belongs to the container's user namespace,
 * and only from inside that one may it be changed: enter it first (its
 * owner may; there the user is root).
 */
export function inNetns(pid: number, argv: string[]): string[] {
  const user = process.getuid?.() === 0 ? [] : [`--user=/proc/${pid}/ns/user`, '--preserve-credentials'];
  return ['nsenter', ...user, `--net=/proc/${pid}/ns/net`, ...argv];
}

/**
 * Move the container end into the container's netns and configure it from
 * there: renamed eth0, a MAC derived from its address (as Docker does, so
 * the same address always has the same MAC), the address, up, lo up, and a
 * default route through the gateway on kit0.
 */
export function moveIntoContainer(trace: TraceRecorder, id: string, pid: number, address: string, subnet: Subnet): void {
  const peer = peerLinkName(id);
  checkCommand(trace, `move the container end into the container's network namespace (by the pid of its first process, ${pid})`, ['ip', 'link', 'set', peer, 'netns', String(pid)]);
  const inside = (why: string, argv: string[]) => checkCommand(trace, why, inNetns(pid, argv));
  inside('inside: name it eth0, as every container sees it', ['ip', 'link', 'set', peer, 'name', 'eth0']);
  inside('inside: a MAC address derived from the IP address', ['ip', 'link', 'set', 'eth0', 'address', macFor(address)]);
  inside(`inside: the address IPAM leased, on kit0's subnet`, ['ip', 'addr', 'add', `${address}/${subnet.prefix}`, 'dev', 'eth0']);
  inside('inside: bring eth0 up', ['ip', 'link', 'set', 'eth0', 'up']);
  bringUpLoopback(trace, pid);
  inside(`inside: the default route goes through the gateway, ${BRIDGE}'s address`, ['ip', 'route', 'add', 'default', 'via', gateway(subnet)]);
}

/** A new netns has only lo, and down: without it even 127.0.0.1 is unreachable inside. */
export function bringUpLoopback(trace: TraceRecorder, pid: number): void {
  checkCommand(trace, 'inside: bring lo up (a new network namespace starts with lo alone, down)', inNetns(pid, ['ip', 'link', 'set', 'lo', 'up']));
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
