import type { KitPaths, PlanPart, TraceEvent } from '../core';

/**
 * A lab, as data: what the student writes (labs/<id>/starter.ts), what the
 * lab hands their code (`given`, made by the lab's own journaled steps),
 * what runs inside, what is looked at from the host while it runs, and the
 * checks, in order, each pointing at the hint that unblocks it.
 * The folders in labs/ are the labs; labs/<id>/check.ts holds this object.
 */
export interface Lab {
  id: string;
  /** Position in the curriculum (the chapter's order). */
  order: number;
  title: string;
  /** The chapter that explains the concept (`kit chapter <id>`). */
  chapter: string;
  /** The container's command; it is stopped once the host's look is taken. */
  command: string[] | ((given: Given) => string[]);
  /**
   * What the student's function receives, and the lab's own host steps
   * that make it (journaled, so they are undone like any kit change).
   */
  setup?: (id: string, paths: KitPaths) => Setup | Promise<Setup>;
  /** Look at the container from the host while it runs (a JSON-able record). */
  observe: (pid: number, given: Given) => Observation | Promise<Observation>;
  /** The hints, in the order `kit lab hint` reveals them. */
  hints: string[];
  checks: Check[];
  /**
   * How `kit lab check` runs it for a user without root (as root it runs as it is):
   * - 'user-namespace' (the default): the student's code runs inside a user
   *   namespace that maps the user's own uid to 0 (as `unshare -r` and rootless
   *   podman do), which owns every namespace it clones, so no root is needed;
   * - 'as-is': nothing it does needs root, or it makes its own user namespace (user);
   * - { needsRoot }: one line, why it truly needs root (a change to the host itself).
   */
  withoutRoot?: 'user-namespace' | 'as-is' | { needsRoot: string };
  /** The hint for a run that left something on the host (default: a general word on the journal). */
  cleanHint?: number;
  /** Seconds a check may take before the student's run is stopped (default 30). */
  timeoutSeconds?: number;
}

export type Given = Record<string, string | number | string[]>;
export interface Setup {
  given: Given;
  part: PlanPart;
  /**
   * Lab steps that depend on what the student's plan asks for, joined after
   * `part` and before the student's (e.g. a mount made inside only when the
   * student gave the container a mount namespace to make it in).
   */
  before?: (student: PlanPart) => PlanPart;
}
export type Observation = Record<string, unknown>;

/** Everything a check can look at: from outside the container, never the student's source. */
export interface LabRun {
  given: Given;
  /** What observe() saw while the container ran (empty when it never ran). */
  seen: Observation;
  /** The trace of the run: every call kit and the student's steps made. */
  trace: TraceEvent[];
  /** The student's code or the run stopped with this error (one line), if it did. */
  error?: string;
  stdout: string;
  stderr: string;
  /** The run went through a user namespace kit added, the user having no root (rootless.ts). */
  viaUserNamespace: boolean;
  /** What the host still holds afterwards that the run made (mounts, links, rules, dirs). */
  leftovers: string[];
}

export interface Check {
  /** One line for the checklist, saying what is true when it passes. */
  name: string;
  pass: (run: LabRun) => boolean;
  /**
   * Why it failed, read from the trace and what was seen: names the failing
   * or missing call and the likely cause. Undefined: the hint says it.
   */
  diagnose?: (run: LabRun) => string | undefined;
  /** Index into Lab.hints of the hint that unblocks this check. */
  hint: number;
}
