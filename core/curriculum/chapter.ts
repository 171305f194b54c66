import { KitError } from '../errors';
import { runContainer, type RunOptions, type RunResult } from '../engine/run';
import { kitPaths, type KitPaths } from '../paths';
import type { PlanPart } from '../plan';
import { runProbes, type ProbeContext, type ProbeResult } from '../probes';
import { withChapterStorage, type ChapterStorage } from './chapter-storage';
import { describeLoosening } from '../security/options';
import { DEFAULT_PATH, type ContainerSpec } from '../spec';
import { unmet, type Requirement } from '../support';
import { isRoot, needsRootBecause, rootlessSpec, viaUserNamespace } from './rootless';
import type { TraceEvent } from '../trace/event';
import { processStat } from '../host/process';
import { bridgeExists, pruneHostNetwork, withNetworkLock } from '../network';
import { TraceRecorder } from '../trace/recorder';
import { checkClaims, type CheckedClaim, type Claim } from './claims';
import { processTree } from '../record/process-tree';
import type { ProbePhase, RunRecord } from '../record/records';

/**
 * A chapter of the curriculum: one isolation feature, as data. It runs
 * through the same engine as `kit run`; what makes it a lesson is the story
 * around it and the host probes taken before, during and after.
 * The files in chapters/ are the chapters.
 */
export interface Chapter {
  id: string;
  /** Position in the curriculum. */
  order: number;
  title: string;
  /** The features it switches on, for the chapter list. */
  turnsOn: string[];
  /** One line for the chapter list. */
  summary: string;
  /** The concept, printed before anything runs. */
  story: string;
  /** The container: namespaces, command, hostname... */
  spec: Partial<ContainerSpec> & Pick<ContainerSpec, 'command' | 'namespaces'>;
  /**
   * Host probes: before it starts, during (its command just exec'd, held
   * at its first instruction), and after. `created` ones are taken before
   * kit-init is released to run its plan; `running` ones while the command
   * runs, and when they are done the container is stopped (for commands that
   * would run forever).
   */
  probes: { before: string[]; created?: string[]; during: string[]; running?: string[]; after: string[] };
  /** A second run with these spec changes, its `running` probes shown next to the first's (with and without a limit). */
  compareWith?: { label: string; spec: Partial<ContainerSpec> };
  /** What to look at in the output, printed after it. */
  takeaway: string;
  /** The points the takeaway makes, each checked against the run's data (printed with whether this run showed it). */
  claims?: Claim[];
  tryNext: string[];
  /** Longer explanations by syscall name, shown with --explain. */
  explain?: Record<string, string>;
  requires?: Requirement[];
  /** Run the container on a layered image root (the layers chapters). */
  storage?: ChapterStorage;
  /** Host or container steps that show the chapter's point (see buildPlan). */
  demo?: PlanPart;
  /**
   * Why this chapter turns some of Docker's default confinement off (its
   * spec.security says what): printed as one line, and as a warning when
   * `-- CMD` runs the learner's own command with it.
   */
  unconfined?: string;
  /** A table made from the run's (and the comparison run's) outcome and the run's trace, shown after them. */
  report?: (main: ContainerOutcome, compare: ContainerOutcome | undefined, trace: TraceEvent[]) => ProbeResult;
  /**
   * What this chapter is for a user without root, when the whole of it needs
   * root (net: a veth on the host's bridge and iptables rules): the part
   * such a user can run, with its own text; or only the fields that differ
   * there (uts: what it says and checks, as the user namespace kit adds is a
   * second namespace that differs). See forThisUser (rootless.ts).
   */
  withoutRoot?: Partial<Pick<Chapter, 'title' | 'turnsOn' | 'summary' | 'story' | 'spec' | 'probes' | 'takeaway' | 'claims' | 'tryNext' | 'requires'>>;
}

export interface ChapterResult {
  chapter: string;
  title: string;
  before: ProbeResult[];
  /** Probes taken before kit-init was released to run its plan. */
  created: ProbeResult[];
  during: ProbeResult[];
  trace: TraceEvent[];
  container: ContainerOutcome;
  /** Probes taken while the command ran. */
  running: ProbeResult[];
  after: ProbeResult[];
  comparison?: { label: string; container: ContainerOutcome; running: ProbeResult[] };
  /** A container-side call that failed before the command ran. */
  failed?: TraceEvent;
  /** The chapter's claims, checked against this run. */
  claims: CheckedClaim[];
  /** What of Docker's confinement this chapter turns off, and why (one line). */
  unconfined?: string;
}

export interface ContainerOutcome {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: string | null;
  /** What kit found after the run (the OOM killer struck...). */
  notes: string[];
}

export interface ChapterRunOptions {
  paths?: KitPaths;
  /** Run this instead of the chapter's own command. */
  command?: string[];
  /** Everything the run shows, as it happens (see core/record/records.ts): for the live view and --record. */
  onRecord?: (record: RunRecord) => void;
  /** Called with the container's pid just before it is released (e.g. to attach strace). */
  beforeRelease?: (pid: number) => Promise<void>;
  /** For chapters with `storage`: the driver to make the root with. */
  storageDriver?: string;
  /** Where the base image's first build tells its steps (the chapters on the base image); nothing is told without it. */
  imageProgress?: RunOptions['imageProgress'];
  /** The cgroup hierarchy to use instead of the detected one (--cgroup-driver: see v2 on a hybrid host). */
  cgroupDriver?: 'v1' | 'v2';
}

function chapterSpec(chapter: Chapter, command?: string[]): ContainerSpec {
  const spec: ContainerSpec = { env: [DEFAULT_PATH], ...chapter.spec, command: command?.length ? command : chapter.spec.command };
  return isRoot() || spec.namespaces.length === 0 ? spec : rootlessSpec(spec);
}

/**
 * What the chapter needs here. Without root, a chapter that needs only
 * namespaces runs through a user namespace (rootless.ts): it then needs
 * the user namespace, not root.
 */
export function requirementsOf(chapter: Chapter): Requirement[] {
  const viaUserns = viaUserNamespace(chapter);
  const root: Requirement[] = chapter.spec.namespaces.length && !viaUserns ? [{ root: true, because: needsRootBecause(chapter) }] : viaUserns ? [{ namespace: 'user' }] : [];
  return [...root, ...chapter.spec.namespaces.map((namespace) => ({ namespace })), ...(chapter.requires ?? [])];
}

export async function runChapter(chapter: Chapter, options: ChapterRunOptions = {}): Promise<ChapterResult> {
  const problems = unmet(requirementsOf(chapter));
  if (problems.length) throw new KitError(`chapter '${chapter.id}' cannot run here: ${problems.join('; ')}`);
  if (!chapter.storage) {
    if (options.storageDriver) throw new KitError(`chapter '${chapter.id}' runs on the host's own files: --storage-driver does not apply`, 'use it with the layers or aufs chapter');
    return runWithProbes(chapter, options, {});
  }
  return withChapterStorage(chapter.storage, options.storageDriver, options.paths ?? kitPaths(), (container) =>
    runWithProbes(chapter, options, { storage: container.view }, container.spec, container.id),
  );
}

async function runWithProbes(
  chapter: Chapter,
  options: ChapterRunOptions,
  probeContext: ProbeContext,
  /** A layered root for the chapter's container (storage chapters). */
  root: Partial<ContainerSpec> = {},
  id?: string,
): Promise<ChapterResult> {
  const emit = options.onRecord ?? (() => undefined);
  const probes = async (phase: ProbePhase, ids: string[], ctx: ProbeContext, label?: string) => {
    const results = await runProbes(ids, ctx);
    if (results.length) emit({ type: 'probes', phase, label, results });
    return results;
  };
  const before = await probes('before', chapter.probes.before, probeContext);
  const chosen = chapterSpec(chapter, options.command);
  const spec = { ...chosen, ...root, ...(options.cgroupDriver && { resources: { ...chosen.resources, driver: options.cgroupDriver } }) };
  // A chapter is a demonstration: if its run makes kit0, it leaves the host as it found it.
  const makesBridge = spec.network === 'bridge' && !bridgeExists();
  let created: ProbeResult[] = [];
  let during: ProbeResult[] = [];
  // The host's view during the run, and the process tree for the picture.
  const look = async (pid: number) => {
    emit({ type: 'tree', nodes: processTree(pid), containerPid: pid });
    during = await probes('during', chapter.probes.during, { ...probeContext, pid, command: spec.command });
  };
  // strace, attached before the release, is the command's tracer: kit cannot hold it at its exec too,
  // so the view is taken before the release, of kit-init.
  const hold = !options.beforeRelease;
  const main = await runWatched(chapter, spec, probeContext, emit, {
    id,
    paths: options.paths,
    imageProgress: options.imageProgress,
    demo: chapter.demo,
    beforeRelease: async (pid) => {
      created = await probes('created', chapter.probes.created ?? [], { ...probeContext, pid });
      if (!hold) await look(pid);
      await options.beforeRelease?.(pid);
    },
    // The command itself, held at its first instruction: what `ps` shows is it, not kit-init.
    onExec: hold ? look : undefined,
    onRunning: (pid) => {
      // Not held: the command itself, if it still runs, for the picture.
      if (!hold && processStat(pid)?.state !== 'Z') emit({ type: 'tree', nodes: processTree(pid), containerPid: pid });
    },
  });
  const compare = chapter.compareWith;
  // The comparison makes the same demo calls (the escape chapter's attacks, with and without protections).
  const compared = compare && (await runWatched(chapter, { ...spec, ...compare.spec }, probeContext, () => undefined, { paths: options.paths, demo: chapter.demo }));
  if (compare && compared) emit({ type: 'probes', phase: 'compare', label: `The same container ${compare.label}`, results: compared.running.length ? compared.running : [outputView(compared.container)] });
  if (chapter.report) emit({ type: 'probes', phase: 'after', label: 'What happened', results: [chapter.report(main.container, compared?.container, main.result.trace)] });
  if (makesBridge) removeSharedNetwork();
  const after = await probes('after', chapter.probes.after, probeContext);
  const result: ChapterResult = {
    chapter: chapter.id,
    title: chapter.title,
    before,
    created,
    during,
    trace: main.result.trace,
    container: main.container,
    running: main.running,
    after,
    comparison: compare && compared && { label: compare.label, container: compared.container, running: compared.running },
    failed: main.result.failed,
    unconfined: unconfinedNote(chapter),
    claims: [],
  };
  return { ...result, claims: checkClaims(chapter.claims ?? [], result) };
}

/** A comparison run without probes of its own: what its command printed is the comparison (the seccomp chapter). */
function outputView(c: ContainerOutcome): ProbeResult {
  const exit = c.signal ? `killed by ${c.signal}` : `exit code ${c.exitCode}`;
  return { probe: 'output', title: 'what its command printed', text: `${`${c.stdout}${c.stderr}`.trimEnd() || '(no output)'}\n(${exit})`, wrap: true };
}

/** "runs with every capability, no seccomp filter...: <why>", for a chapter that loosens the defaults. */
export function unconfinedNote(chapter: Chapter): string | undefined {
  const loosened = describeLoosening(chapter.spec.security);
  if (!loosened) return undefined;
  return `runs ${loosened}${chapter.unconfined ? ` (${chapter.unconfined})` : ''}`;
}

/** One run of a chapter's container, with its `running` probes taken while it runs; what it shows goes to `emit`. */
async function runWatched(chapter: Chapter, spec: ContainerSpec, probeContext: ProbeContext, emit: (record: RunRecord) => void, options: RunOptions) {
  let running: ProbeResult[] = [];
  let probesDone = false;
  const ids = chapter.probes.running ?? [];
  const whileRunning = ids.length
    ? async (pid: number, ended: AbortSignal) => {
        running = await runProbes(ids, { ...probeContext, pid, ended });
        probesDone = true;
        emit({ type: 'probes', phase: 'running', results: running });
      }
    : undefined;
  const result: RunResult = await runContainer(spec, {
    ...options,
    whileRunning,
    onEvent: (event) => emit({ type: 'trace', event }),
    onOutput: (stream, text) => emit({ type: 'output', stream, text }),
    onExited: (status) => emit({ type: 'exit', ...status, stoppedByKit: probesDone && status.signal === 'SIGKILL' }),
  });
  if (result.notes.length) emit({ type: 'notes', notes: result.notes });
  const container: ContainerOutcome = { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode, signal: result.signal, notes: result.notes };
  return { result, container, running };
}

/**
 * kit0 and its shared rules, made by this chapter's run: removed as `kit
 * network prune` does, which keeps them while any container (of any kit
 * process) still holds an address on kit0.
 */
function removeSharedNetwork(): void {
  const trace = new TraceRecorder();
  withNetworkLock(trace, () => pruneHostNetwork(trace));
}
