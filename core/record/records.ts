import type { ProbeResult } from '../probes/probe';
import type { TraceEvent } from '../trace/event';
import type { ProcessNode } from './process-tree';
import type { CheckedClaim } from '../curriculum/claims';

/**
 * What a run is made of, in the order it happened: the same records feed
 * the live terminal, a `--record` file, `kit replay` and the HTML page, so
 * all four show the same thing. Nothing here depends on a chapter: a new
 * chapter (or `kit run`) gets streaming, recording and replay for free.
 */
export type RunRecord =
  /** Host views taken at one moment of the run (`label` names the moment when it is not one of the usual ones). */
  | { type: 'probes'; phase: ProbePhase; label?: string; results: ProbeResult[] }
  /** One syscall (or host command), as it returned. */
  | { type: 'trace'; event: TraceEvent }
  /** What the container printed, as it came. */
  | { type: 'output'; stream: 'stdout' | 'stderr'; text: string }
  /** The container's first process was reaped. `stoppedByKit`: kit ended it once its probes were done. */
  | { type: 'exit'; exitCode: number | null; signal: string | null; stoppedByKit: boolean }
  /** What kit found after the run (the OOM killer struck...). */
  | { type: 'notes'; notes: string[] }
  /** A step of kit's own preparation that the run waits on (the base image's first build), as it is made. */
  | { type: 'progress'; line: string }
  /** The host's process tree while the container ran, for the picture of it. */
  | { type: 'tree'; nodes: ProcessNode[]; containerPid: number }
  /** The real strace of the process inside (--strace). */
  | { type: 'strace'; lines: string[] }
  /** The run is over: its whole result, as `--json` prints it. */
  | { type: 'end'; result: unknown; failed?: TraceEvent; claims?: CheckedClaim[] };

export type ProbePhase = 'before' | 'created' | 'during' | 'running' | 'compare' | 'after';

/** A record with its time: milliseconds since the run started. */
export type TimedRecord = RunRecord & { t: number };

/** The text of the chapter a recording ran, so a replay shows what was printed then, whatever kit has now. */
export interface RecordedChapter {
  id: string;
  title: string;
  story: string;
  /** What of Docker's confinement the chapter turns off, and why (printed under the story). */
  unconfined?: string;
  takeaway: string;
  tryNext: string[];
  explain?: Record<string, string>;
}

/** The first line of a recording. */
export interface RecordingHeader {
  /** The format version: a reader refuses a newer one. */
  kitrec: number;
  kind: 'chapter' | 'run';
  /** The kit that made it. */
  kit: string;
  recordedAt: string;
  /** How the user ran it, as they typed it (`kit chapter pid -- ps`). */
  command: string[];
  /** How this machine's user starts kit (`sudo kit`, `sudo npx kit`): what "Try this" lines say. */
  invocation: string;
  host: HostFacts;
  chapter?: RecordedChapter;
  /** kit run: the live run printed the trace too (--trace), so its replay does. */
  trace?: boolean;
}

export interface HostFacts {
  kernel: string;
  /** v1, v2 or hybrid. */
  cgroup: string;
  arch: string;
  node: string;
  /** The iptables backend (nf_tables, legacy), when the run used iptables. */
  iptables?: string;
}
