import { existsSync } from 'node:fs';
import { HostChanges } from '../host/journal';
import { isAlive } from '../host/process';
import type { Undo } from '../host/undo';
import { pruneHostNetwork, sharedNetworkPlan, withNetworkLock } from '../network';
import type { KitPaths } from '../paths';
import { listContainerLayers } from '../storage/containers';
import { TraceRecorder } from '../trace/recorder';
import { allContainers } from './names';
import { listRecords, recordDir } from './record';
import { removeContainer } from './remove';
import { journalFile, listStates } from './state';

/**
 * `kit reset`: the instructor's escape hatch after a broken demo. Every
 * container of this kit root goes (running ones are killed, and their owners
 * undo their journals; those whose kit was killed are reaped from theirs,
 * with what a killed kit left half done in the devicemapper pool, as every
 * kit command reaps), then kit0 and the KIT chain, but only when no container of
 * another kit root still holds an address on kit0 (the rule `kit network
 * prune` follows). Nothing outside this kit root's journals and the shared
 * network journal is touched. Images and volumes are data, not host changes:
 * they stay.
 */

/** One thing reset undoes, with the journaled changes it undoes. */
export interface ResetItem {
  what: string;
  changes: string[];
}

export interface ResetPlan {
  containers: ResetItem[];
  network: ResetItem & { keptBecause?: string };
}

export interface ResetResult extends ResetPlan {
  problems: string[];
}

/** What `kit reset` would undo now: read only (`--dry-run`). */
export function planReset(paths: KitPaths): ResetPlan {
  const containers = containersOf(paths);
  const shared = sharedNetworkPlan(new Set(containers.map((c) => c.id)));
  return {
    containers: containers.map((c) => ({ what: `container ${c.name} (${c.id}, ${c.status})`, changes: [...new Set([...journalChanges(journalFile(paths, c.id)), ...kept(paths, c.id)])] })),
    network: { what: 'the shared kit0 network (/run/kit-net/journal)', changes: shared.records.map(describeChange), keptBecause: shared.records.length ? shared.keptBecause : undefined },
  };
}

/** Undo it all; what could not be undone is named in `problems` (and stays journaled for a later reset). */
export async function resetHost(paths: KitPaths): Promise<ResetResult> {
  const plan = planReset(paths);
  const problems: string[] = [];
  for (const c of allContainers(paths)) {
    try {
      await removeContainer(paths, c.id, true);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  const trace = new TraceRecorder();
  try {
    const pruned = withNetworkLock(trace, () => pruneHostNetwork(trace));
    if (!pruned.removed && plan.network.changes.length) plan.network.keptBecause = pruned.reason;
  } catch (err) {
    problems.push((err as Error).message);
  }
  return { ...plan, problems };
}

interface Listed {
  id: string;
  name: string;
  status: 'running' | 'owner died' | 'exited';
}

/** Every container of this root as it is on disk, without reaping anything (a dry run changes nothing). */
function containersOf(paths: KitPaths): Listed[] {
  const byId = new Map<string, Listed>();
  for (const layer of listContainerLayers(paths)) byId.set(layer.id, { id: layer.id, name: layer.name ?? layer.id, status: 'exited' });
  for (const record of listRecords(paths)) byId.set(record.id, { id: record.id, name: record.name, status: 'exited' });
  for (const state of listStates(paths)) byId.set(state.id, { id: state.id, name: state.name, status: isAlive(state.owner) ? 'running' : 'owner died' });
  return [...byId.values()];
}

/** What is kept of a container after it exits (record, logs, layer): its directory. */
function kept(paths: KitPaths, id: string): string[] {
  return existsSync(recordDir(paths, id)) ? [`remove ${recordDir(paths, id)}`] : [];
}

function journalChanges(file: string): string[] {
  return new HostChanges(file, new TraceRecorder()).records().map(describeChange);
}

/** A journal record as one line: its kind, then what it names (`umount /run/kit/...`, `link-delete kitv1a2b3c4d`). */
export function describeChange(record: Undo): string {
  const { op, ...rest } = record;
  return [op, ...Object.values(rest).map(words)].join(' ');
}

/** A record's value as words: lists joined, a rule list as `-A CHAIN spec; ...` (iptables-delete-rules). */
function words(value: unknown): string {
  if (Array.isArray(value)) return value.map(words).join(value.some((v) => typeof v === 'object') ? '; ' : ' ');
  if (value && typeof value === 'object' && 'chain' in value && 'spec' in value) {
    const rule = value as { chain: string; spec: string[] };
    return `-A ${rule.chain} ${rule.spec.join(' ')}`;
  }
  return String(value);
}
