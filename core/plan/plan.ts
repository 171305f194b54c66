import type { NativeContainerStep } from '../native';
import type { ContainerSpec } from '../spec';
import type { HostChanges } from '../host/journal';
import type { TraceRecorder } from '../trace/recorder';
import type { KitPaths } from '../paths';

/**
 * A plan is the ordered list of what starting a container takes, split by
 * who does it and when:
 * - prepare: host steps before clone() (e.g. create the cgroup directory)
 * - cloneFlags: the namespaces clone() creates
 * - attach: host steps after clone(), while the child waits (e.g. write its
 *   pid into cgroup.procs, move a veth into its network namespace)
 * - container: steps kit-init runs inside, ending with execve of the command
 * - exited: host steps once the container has exited, before its host
 *   changes are undone (e.g. read its cgroup's OOM kill count)
 */
export interface Plan {
  cloneFlags: number;
  prepare: HostStep[];
  attach: HostStep[];
  container: ContainerStep[];
  exited: HostStep[];
  /**
   * A user namespace: the byte the clone child waits for on the control
   * socket before it becomes root there and execs kit-init, sent once the
   * attach steps have written its maps (see core/plan/userns.ts).
   */
  release?: string;
  /** An existing PID namespace (its path) the first process is cloned into, instead of a new one (core/engine/pid-join.ts). */
  joinPid?: string;
  /** Why the engine's own clone and wait4 happen, when not to start a new container (kit exec). */
  why?: { clone: string; wait: string };
}

/** What a part of kit (namespaces, rootfs, cgroups, network) adds to a plan. */
export type PlanPart = Partial<Omit<Plan, 'why'>>;

export interface HostContext {
  id: string;
  spec: ContainerSpec;
  paths: KitPaths;
  trace: TraceRecorder;
  changes: HostChanges;
  /** The container's first process, as the host sees it (attach steps only). */
  pid: number;
  /** One-line findings to tell the user after the run (the OOM killer struck...). */
  notes: string[];
  /** Set by the cgroups' exited step when the OOM killer struck (docker inspect's OOMKilled). */
  oomKilled?: boolean;
}

export interface HostStep {
  why: string;
  run(ctx: HostContext): void | Promise<void>;
}

/**
 * One syscall for kit-init: a step of native-rs/src/plan.rs's ContainerStep
 * enum (`{ op: 'mount', source, target, ... }`, the union napi-rs generates
 * in native-rs/kit.d.ts), with why kit makes it.
 */
export type ContainerStep = NativeContainerStep & {
  why: string;
  /** What to do when this step's call fails, when it says more than the generic hint. */
  hint?: string;
  /** The one errno `hint` is about; another failure of the call gets the generic hint for its errno (core/trace/hints.ts). */
  hintErrno?: string;
};

/** The steps of one op: `StepOf<'mount'>` has source, target, fstype, flags, data. */
export type StepOf<Op extends ContainerStep['op']> = Extract<ContainerStep, { op: Op }>;

export function emptyPlan(): Plan {
  return { cloneFlags: 0, prepare: [], attach: [], container: [], exited: [] };
}

export function addPart(plan: Plan, part: PlanPart): Plan {
  return {
    cloneFlags: plan.cloneFlags | (part.cloneFlags ?? 0),
    prepare: [...plan.prepare, ...(part.prepare ?? [])],
    attach: [...plan.attach, ...(part.attach ?? [])],
    container: [...plan.container, ...(part.container ?? [])],
    exited: [...plan.exited, ...(part.exited ?? [])],
    release: part.release ?? plan.release,
    joinPid: part.joinPid ?? plan.joinPid,
  };
}

/** Several parts as one, in order (a lab's student code combines its own pieces with it). */
export function joinParts(...parts: PlanPart[]): PlanPart {
  const { cloneFlags, prepare, attach, container, exited, release, joinPid } = parts.reduce(addPart, emptyPlan());
  return { cloneFlags, prepare, attach, container, exited, ...(release === undefined ? {} : { release }), ...(joinPid === undefined ? {} : { joinPid }) };
}
