import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KitError } from '../errors';
import { runCommand } from '../host/command';
import { HostChanges } from '../host/journal';
import { registerUndo, type Undo } from '../host/undo';
import { TraceRecorder } from '../trace/recorder';
import { createBridge, bridgeExists, bridgeMembers } from './bridge';
import { BRIDGE, DEFAULT_SUBNETS, hostLinkName, NAT_CHAIN, NET_STATE_DIR, SUBNET_ENV } from './config';
import { ensureRule, iptablesBackend, listRules, type Backend } from './iptables';
import { LEASE_DIR, liveLeases } from './ipam';
import { withNetworkLock } from './lock';
import { localnetGuard, setupNat } from './nat';
import { ruleOwner } from './publish';
import { hostSubnets } from './routes';
import { formatSubnet, overlaps, parseSubnet, type Subnet } from './subnet';
import './undo'; // the shared journal below holds links, rules and sysctls

/**
 * What all kit containers share on this host: kit0, its subnet, the KIT
 * chain and its jumps, the masquerade and forward rules, ip_forward.
 * The first kit that needs them makes them, under the network lock, and
 * journals their undo in /run/kit-net/journal (not in a container's
 * journal: they outlive any one container).
 * Like Docker's docker0 they outlive the containers that use them: made by
 * the first container that needs them, then kept, so every later container
 * only adds what is its own (a veth, an address, its DNAT rules) and removes
 * just that when it ends. `kit network prune` (and `kit reset`) removes them
 * when no running container holds a lease, and also clears what killed kit
 * processes left; that undo restores ip_forward and every rule as they were.
 * /run is a tmpfs, so a reboot forgets the journal together with what it
 * describes.
 */
export interface HostNetwork {
  subnet: Subnet;
  backend: Backend;
}

const STATE_FILE = join(NET_STATE_DIR, 'network.json');

function sharedChanges(trace: TraceRecorder): HostChanges {
  return new HostChanges(join(NET_STATE_DIR, 'journal'), trace);
}

/** kit0 and its rules, made if missing. The caller holds the network lock. */
export function ensureHostNetwork(trace: TraceRecorder): HostNetwork {
  const existing = readNetworkState();
  if (existing && bridgeExists()) {
    const wanted = process.env[SUBNET_ENV];
    if (wanted && formatSubnet(parseSubnet(wanted)) !== formatSubnet(existing.subnet)) {
      throw new KitError(`${BRIDGE} already uses ${formatSubnet(existing.subnet)}, not ${SUBNET_ENV}=${wanted}`, `run \`sudo kit network prune\` once no container uses ${BRIDGE}, then start again`);
    }
    // A kit0 made by an older kit may lack the guard that goes with route_localnet.
    const guard = localnetGuard();
    ensureRule(trace, sharedChanges(trace), guard, guard.why, guard.first);
    return existing;
  }
  const backend = iptablesBackend(trace);
  const changes = sharedChanges(trace);
  changes.undoAll(); // what a half-made or since-broken network left
  const subnet = chooseSubnet(trace);
  createBridge(trace, changes, subnet);
  setupNat(trace, changes, subnet, backend);
  changes.make({ op: 'remove', path: STATE_FILE }, () => writeFileSync(STATE_FILE, JSON.stringify({ subnet: formatSubnet(subnet), backend })));
  return { subnet, backend };
}

function readNetworkState(): HostNetwork | undefined {
  try {
    const state = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as { subnet: string; backend: Backend };
    return { subnet: parseSubnet(state.subnet), backend: state.backend };
  } catch {
    return undefined;
  }
}

/** KIT_NET_SUBNET if set (refused if it overlaps the host's networks), else the first free default. */
function chooseSubnet(trace: TraceRecorder): Subnet {
  const taken = hostSubnets(trace);
  const clash = (s: Subnet) => taken.find((t) => overlaps(s, t.subnet));
  const wanted = process.env[SUBNET_ENV];
  if (wanted) {
    const subnet = parseSubnet(wanted);
    const hit = clash(subnet);
    if (hit) throw new KitError(`${SUBNET_ENV}=${wanted} overlaps a network this host already uses (${hit.line})`, 'choose a subnet no route or address of the host covers');
    return subnet;
  }
  const free = DEFAULT_SUBNETS.map(parseSubnet).find((s) => !clash(s));
  if (!free) throw new KitError(`every default subnet for ${BRIDGE} (${DEFAULT_SUBNETS.join(', ')}) overlaps this host's networks`, `set ${SUBNET_ENV} to a free one`);
  return free;
}

export interface PruneResult {
  removed: boolean;
  /** Why nothing was removed. */
  reason?: string;
  /** Leftover veths of dead kit processes, deleted. */
  orphanLinks: string[];
  /** Leftover DNAT rules of dead kit processes (whose kit root was never used again), deleted. */
  orphanRules: string[];
}

/**
 * Remove kit0 and the shared rules if no running kit container uses them.
 * The caller holds the network lock. Veths on kit0 and DNAT rules in KIT
 * whose owner is gone (a kit killed before it could clean up, whose kit root
 * was not used again) are deleted first.
 */
export function pruneHostNetwork(trace: TraceRecorder): PruneResult {
  const live = liveLeases();
  const inUse = new Set(live.map((l) => hostLinkName(l.id)));
  const orphanLinks = bridgeMembers().filter((link) => link.startsWith('kitv') && !inUse.has(link));
  for (const link of orphanLinks) runCommand(trace, 'delete a veth whose kit process is gone', ['ip', 'link', 'delete', link]);
  const liveIds = new Set(live.map((l) => l.id));
  const orphanRules = listRules(trace, 'nat', NAT_CHAIN).filter((r) => !liveIds.has(ruleOwner(r) ?? ''));
  for (const rule of orphanRules) runCommand(trace, 'delete a DNAT rule whose kit process is gone', ['iptables', '-w', '-t', 'nat', ...ruleArgs(rule)]);
  if (live.length) return { removed: false, reason: `${live.length} running container(s) use ${BRIDGE}: ${live.map((l) => `${l.id} (${l.address})`).join(', ')}`, orphanLinks, orphanRules };
  const others = bridgeMembers();
  if (others.length) return { removed: false, reason: `links kit did not make are plugged into ${BRIDGE}: ${others.join(', ')}`, orphanLinks, orphanRules };
  const shared = sharedChanges(trace);
  const made = shared.records().length > 0;
  const problems = shared.undoAll();
  rmSync(LEASE_DIR, { recursive: true, force: true });
  if (problems.length) throw new KitError(`could not remove all of kit's network: ${problems.join('; ')}`);
  return made ? { removed: true, orphanLinks, orphanRules } : { removed: false, reason: `kit has no ${BRIDGE} on this host`, orphanLinks, orphanRules };
}

/**
 * What `kit network prune` would do now, changing nothing (`kit reset
 * --dry-run`): the shared changes it would undo, or why it would keep them.
 * `leaving` are containers about to end (a reset's own): their leases do not count.
 */
export function sharedNetworkPlan(leaving: ReadonlySet<string>): { records: Undo[]; keptBecause?: string } {
  const records = sharedChanges(new TraceRecorder()).records();
  const others = liveLeases().filter((l) => !leaving.has(l.id));
  if (others.length) return { records, keptBecause: `${others.length} container(s) of other kit roots use ${BRIDGE}: ${others.map((l) => `${l.id} (${l.address})`).join(', ')}` };
  return { records };
}

/**
 * Journals written before kit0 was kept end with a 'network-release' record:
 * replaying one prunes kit0 if no container uses it, as that kit would have.
 */
function releaseHostNetwork(trace: TraceRecorder): string | undefined {
  try {
    withNetworkLock(trace, () => pruneHostNetwork(trace));
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
registerUndo('network-release', (_record, trace) => releaseHostNetwork(trace));

/** `-A KIT ! -i kit0 ... --comment "kit:ab12"` as printed by -S -> the argv that deletes it: -D KIT ... */
function ruleArgs(rule: string): string[] {
  const words = rule.match(/"[^"]*"|\S+/g) ?? [];
  return ['-D', ...words.slice(1).map((w) => w.replace(/^"(.*)"$/, '$1'))];
}
