import { rootedCommand } from './build/run-step';
import { KitError } from './errors';
import { runContainer, type RunResult } from './engine/run';
import { kitPaths, type KitPaths } from './paths';
import type { PlanPart } from './plan';
import { runProbes, type ProbeContext, type ProbeResult } from './probes';
import { withChapterStorage, type ChapterStorage } from './storage/chapter-storage';
import { DEFAULT_PATH, type ContainerSpec } from './spec';
import { unmet, type Requirement } from './support';
import type { TraceEvent } from './trace/event';

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
   * during: taken just before the container is released; running: while its
   * command runs (for servers: talk to them), after which it is stopped.
   */
  probes: { before: string[]; during: string[]; running?: string[]; after: string[] };
  /** What to look at in the output, printed after it. */
  takeaway: string;
  tryNext: string[];
  /** Longer explanations by syscall name, shown with --explain. */
  explain?: Record<string, string>;
  requires?: Requirement[];
  /** Run the container on a layered image root (the layers chapters). */
  storage?: ChapterStorage;
  /** Host or container steps that show the chapter's point (see buildPlan). */
  demo?: PlanPart;
}

export interface ChapterResult {
  chapter: string;
  title: string;
  before: ProbeResult[];
  during: ProbeResult[];
  trace: TraceEvent[];
  container: { stdout: string; stderr: string; exitCode: number | null; signal: string | null };
  after: ProbeResult[];
  /** A container-side call that failed before the command ran. */
  failed?: TraceEvent;
}

export interface ChapterRunOptions {
  paths?: KitPaths;
  /** Run this instead of the chapter's own command. */
  command?: string[];
  onEvent?: (event: TraceEvent) => void;
  /** Called with the container's pid just before it is released (e.g. to attach strace). */
  beforeRelease?: (pid: number) => Promise<void>;
  /** For chapters with `storage`: the driver to make the root with. */
  storageDriver?: string;
}

export function chapterSpec(chapter: Chapter, command?: string[]): ContainerSpec {
  return { env: [DEFAULT_PATH], ...chapter.spec, command: command?.length ? command : chapter.spec.command };
}

export function requirementsOf(chapter: Chapter): Requirement[] {
  const root: Requirement[] = chapter.spec.namespaces.length ? [{ root: true }] : [];
  return [...root, ...chapter.spec.namespaces.map((namespace) => ({ namespace })), ...(chapter.requires ?? [])];
}

export async function runChapter(chapter: Chapter, options: ChapterRunOptions = {}): Promise<ChapterResult> {
  const problems = unmet(requirementsOf(chapter));
  if (problems.length) throw new KitError(`chapter '${chapter.id}' cannot run here: ${problems.join('; ')}`);
  if (!chapter.storage) {
    if (options.storageDriver) throw new KitError(`chapter '${chapter.id}' runs on the host's own files: --storage-driver does not apply`, 'use it with the layers or aufs chapter');
    return runWithProbes(chapter, options, {});
  }
  return withChapterStorage(chapter.storage, options.storageDriver, options.paths ?? kitPaths(), options.onEvent, (storage) =>
    runWithProbes(chapter, options, { storage }, (command) => rootedCommand(storage.rootfs, command)),
  );
}

async function runWithProbes(
  chapter: Chapter,
  options: ChapterRunOptions,
  probeContext: ProbeContext,
  rooted: (command: string[]) => string[] = (command) => command,
): Promise<ChapterResult> {
  const before = await runProbes(chapter.probes.before, probeContext);
  let during: ProbeResult[] = [];
  const spec = chapterSpec(chapter, options.command);
  const running = chapter.probes.running;
  const result: RunResult = await runContainer({ ...spec, command: rooted(spec.command) }, {
    paths: options.paths,
    onEvent: options.onEvent,
    demo: chapter.demo,
    beforeRelease: async (pid) => {
      during = await runProbes(chapter.probes.during, { ...probeContext, pid });
      await options.beforeRelease?.(pid);
    },
    whileRunning: running && (async (pid) => void during.push(...(await runProbes(running, { pid })))),
  });
  const after = await runProbes(chapter.probes.after, probeContext);
  return {
    chapter: chapter.id,
    title: chapter.title,
    before,
    during,
    trace: result.trace,
    container: { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode, signal: result.signal },
    after,
    failed: result.failed,
  };
}
