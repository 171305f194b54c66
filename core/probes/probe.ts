import type { StorageView } from '../curriculum/chapter-storage';

/**
 * A host probe: one look at the host's state (its processes, hostname,
 * mounts, links, NAT rules, cgroup files), taken before, during and after a
 * container runs so a chapter can show what changed and what did not.
 */
export interface ProbeContext {
  /** The container's first process as the host sees it (during a run). */
  pid?: number;
  /** The container's layered root (chapters with `storage`). */
  storage?: StorageView;
  /** The command the container runs (the process may still be kit-init: strace attached, or the exec failed). */
  command?: string[];
  /** Aborted when the container exits by itself (`running` probes): stop waiting for it to answer. */
  ended?: AbortSignal;
}

/** What a probe saw, with the title it was taken under. */
export interface ProbeResult {
  probe: string;
  title: string;
  /** What a person reads: a command's output or a short table. */
  text: string;
  /**
   * Its lines are data a reader needs whole (a DNAT rule's target, a
   * mount's options, a reason): wrapped to the terminal, not cut at its
   * edge as a wide table's columns are.
   */
  wrap?: boolean;
}

/** What one look shows: `title` only where it says more than the probe's own (a pid, a count, a directory). */
export interface ProbeView {
  title?: string;
  text: string;
  wrap?: boolean;
}

export interface Probe {
  id: string;
  title: string;
  /** Every view it takes is wrapped, not cut (ProbeResult.wrap). */
  wrap?: boolean;
  run(ctx: ProbeContext): ProbeView | Promise<ProbeView>;
}
