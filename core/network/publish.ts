import { KitError } from '../errors';
import type { HostChanges } from '../host/journal';
import type { TraceRecorder } from '../trace/recorder';
import { BRIDGE, NAT_CHAIN } from './config';
import { ensureRule, listRules, type Rule } from './iptables';
import { checkHostPortFree, formatPort, type PortMapping } from './ports';

/**
 * `-p 8080:80`: one DNAT rule in the KIT chain. A packet for any local
 * address (or only IP, with -p IP:8080:80) on port 8080 (arriving from outside through PREROUTING, or sent
 * by the host itself through OUTPUT) gets its destination rewritten to the
 * container's address, port 80; conntrack rewrites the answers back. The
 * comment names the container, so `iptables -t nat -S KIT` says whose it is.
 */
function dnatRule(p: PortMapping, address: string, id: string): Rule {
  return {
    table: 'nat',
    chain: NAT_CHAIN,
    spec: ['!', '-i', BRIDGE, ...(p.hostIp ? ['-d', `${p.hostIp}/32`] : []), '-p', p.protocol, '-m', p.protocol, '--dport', String(p.hostPort), '-m', 'comment', '--comment', `kit:${id}`, '-j', 'DNAT', '--to-destination', `${address}:${p.containerPort}`],
  };
}

/** Publish one port; the caller holds the network lock, so the checks and the rule do not race another kit. */
export function publishPort(trace: TraceRecorder, changes: HostChanges, p: PortMapping, address: string, id: string): void {
  const owner = publishedBy(trace, p);
  if (owner) throw new KitError(`port ${formatPort(p)} is already published by container ${owner}`, 'pick another host port, or stop that container');
  checkHostPortFree(p);
  ensureRule(trace, changes, dnatRule(p, address, id), `publish ${formatPort(p)}: rewrite the destination of packets for host port ${p.hostPort} to ${address}:${p.containerPort}`);
}

/** The container whose DNAT rule already takes this host port, if any. */
function publishedBy(trace: TraceRecorder, p: PortMapping): string | undefined {
  const rule = listRules(trace, 'nat', NAT_CHAIN).find((r) => r.includes(` -p ${p.protocol} `) && r.includes(`--dport ${p.hostPort} `));
  if (!rule) return undefined;
  return ruleOwner(rule) ?? 'unknown';
}

/** The container id in a KIT rule's comment, as `iptables -S` prints it. */
export function ruleOwner(rule: string): string | undefined {
  return /--comment "?kit:([0-9a-f]+)/.exec(rule)?.[1];
}
