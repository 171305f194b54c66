import type { ProbeResult } from '../probes';
import type { TraceEvent } from '../trace/event';

/** What a claim may look at: a chapter's run (ChapterResult has all of it). */
export interface ChapterResultData {
  before: ProbeResult[];
  during: ProbeResult[];
  running: ProbeResult[];
  after: ProbeResult[];
  trace: TraceEvent[];
  container: { stdout: string; stderr: string; exitCode: number | null; signal: string | null; notes: string[] };
}
type ChapterResult = ChapterResultData;

/**
 * A point a chapter makes about its run ("inside, ps shows its command as
 * PID 1"), with the check of the run's data that makes it true. kit prints
 * each one with whether this run showed it: a `-- COMMAND` of the learner's,
 * or an unusual host, gets "not in this run" instead of a false sentence.
 */
export interface Claim {
  /** The sentence; a function when it quotes the run's data (a count), so the text is never a guess. */
  says: string | ((run: ChapterResult) => string);
  holds(run: ChapterResult): boolean;
}

/** What a claim came to in one run (recorded with it, so a replay shows the same). */
export interface CheckedClaim {
  says: string;
  held: boolean;
}

export function checkClaims(claims: Claim[], run: ChapterResult): CheckedClaim[] {
  return claims.map((claim) => {
    let held = false;
    try {
      held = claim.holds(run);
    } catch {
      held = false; // data the claim needs is missing from this run
    }
    let says = typeof claim.says === 'string' ? claim.says : '';
    try {
      if (typeof claim.says === 'function') says = claim.says(run);
    } catch {
      held = false;
    }
    return { says, held };
  });
}

/** Helpers for writing claims over a run's data. */
export const run = {
  probe(result: ChapterResult, phase: 'before' | 'during' | 'running' | 'after', id: string): ProbeResult | undefined {
    return result[phase].find((p) => p.probe === id);
  },
  calls(result: ChapterResult, syscall: string, side?: TraceEvent['side']): TraceEvent[] {
    return result.trace.filter((e) => e.syscall === syscall && (!side || e.side === side));
  },
  /**
   * The host's successful write of a cgroup limit file, whichever version
   * this run used: `files` names the file on each ("cpu.cfs_quota_us" on v1,
   * "cpu.max" on v2). The value as written, quotes removed.
   */
  cgroupWrite(result: ChapterResult, files: { v1: string; v2: string }): { version: 'v1' | 'v2'; file: string; value: string } | undefined {
    for (const e of run.calls(result, 'write', 'host')) {
      if (e.ret < 0) continue;
      const version = (['v1', 'v2'] as const).find((v) => (e.args[0] ?? '').endsWith(`/${files[v]}"`));
      if (version) return { version, file: files[version], value: (e.args[1] ?? '').replace(/^"|"$/g, '') };
    }
    return undefined;
  },
  /**
   * The DNAT rule this run added (from its iptables-restore in the trace):
   * its port, destination and the comment that names the container. Other
   * containers' rules, of other kit processes, appear in the same table.
   */
  dnatRule(result: ChapterResult): { dport: string; to: string; comment: string } | undefined {
    for (const e of run.calls(result, 'iptables-restore', 'host')) {
      if (e.ret !== 0) continue;
      const m = /^-A \S+ .*--dport (\d+) .*--comment (kit:[0-9a-f]+) -j DNAT --to-destination (\S+)$/m.exec(e.input ?? '');
      if (m) return { dport: m[1], comment: m[2], to: m[3] };
    }
    return undefined;
  },
  /** The host pid clone() returned. */
  clonePid(result: ChapterResult): number {
    return result.trace.find((e) => e.syscall === 'clone' && e.side === 'host')?.ret ?? -1;
  },
  /**
   * kit-… mounts the host has after the run that it did not have before
   * (the mounts probe's rows): another kit container, or another kit
   * process's state, may hold one all along; only a new one is the run's.
   * Undefined when either probe is missing.
   */
  kitMountsAdded(result: ChapterResult): string[] | undefined {
    const rows = (phase: 'before' | 'after') => run.probe(result, phase, 'mounts')?.text.split('\n').slice(1);
    const before = rows('before');
    const after = rows('after');
    if (!before || !after) return undefined;
    return after.filter((row) => !row.startsWith('no mount with a kit-') && !before.includes(row));
  },
  /**
   * The storage driver that made the container's root, as the
   * container-dirs probe names it ("storage driver: vfs (...)").
   */
  storageDriver(result: ChapterResult): string | undefined {
    return /^storage driver: (\S+)/m.exec(run.probe(result, 'during', 'container-dirs')?.text ?? '')?.[1];
  },
  /**
   * What the container changed, as the upper-dir probe lists it for a
   * driver without an upper dir (vfs, btrfs: "C /etc/motd", kit diff's
   * lines): path -> A, C or D.
   */
  copyChanges(result: ChapterResult): Map<string, string> {
    const text = run.probe(result, 'after', 'upper-dir')?.text ?? '';
    return new Map([...text.matchAll(/^ +([ACD]) (\/\S*)$/gm)].map((m) => [m[2], m[1]]));
  },
  /** Whether the container's "/" was the host's own, as the container-process probe saw it; undefined when it could not tell. */
  rootIsHosts(result: ChapterResult): boolean | undefined {
    const line = /^\/proc\/\d+\/root: (.*)$/m.exec(run.probe(result, 'during', 'container-process')?.text ?? '')?.[1];
    return line === undefined ? undefined : line.startsWith("the host's own /");
  },
  /** The namespaces the container-process probe saw differ from the host's. */
  differing(result: ChapterResult): string[] {
    const text = run.probe(result, 'during', 'container-process')?.text ?? '';
    const list = /namespaces that differ from the host's: (.*)$/m.exec(text)?.[1] ?? '';
    return list === 'none' ? [] : list.split(', ').filter(Boolean);
  },
};
