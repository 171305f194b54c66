import type { ContainerSpec } from '../spec';
import type { ContainerStep, PlanPart } from './plan';

/**
 * What an OCI config asks of the command's process itself: its rlimits
 * (ulimit -n, -u...), its OOM score adjustment and its umask. kit-init sets them on itself just
 * before the confinement, and execve keeps both. Raising a hard limit above
 * kit's own needs CAP_SYS_RESOURCE, so a config asking for more than this
 * host gives fails here, on the setrlimit line of the trace.
 */
export function planProcessLimits(spec: ContainerSpec): PlanPart {
  const container: ContainerStep[] = (spec.rlimits ?? []).map((r) => ({
    op: 'setrlimit',
    resource: r.resource,
    soft: r.soft,
    hard: r.hard,
    why: `${r.name}: soft ${shown(r.soft)}, hard ${shown(r.hard)} (process.rlimits); the command inherits it across execve`,
    hint: 'a hard limit above the one kit runs with needs CAP_SYS_RESOURCE, which this host does not give: lower it (--ulimit, or process.rlimits in an OCI config)',
    hintErrno: 'EPERM',
  }));
  if (spec.oomScoreAdj !== undefined) {
    container.push({
      op: 'write',
      path: '/proc/self/oom_score_adj',
      data: String(spec.oomScoreAdj),
      why: `the OOM killer's bias (process.oomScoreAdj): ${spec.oomScoreAdj}; the command inherits it`,
      hint: 'lowering it below its current value needs CAP_SYS_RESOURCE',
    });
  }
  if (spec.umask !== undefined) container.push(umaskStep(spec.umask));
  return container.length ? { container } : {};
}

/** umask(2) for the command (an OCI config's process.user.umask, runc's 0022 when it has none). */
export function umaskStep(mask: number): ContainerStep {
  return { op: 'umask', mask, why: `files the command creates get mode & ~0${mask.toString(8)} (process.user.umask, else runc's 0022)` };
}

function shown(value: number): string {
  return value < 0 ? 'unlimited' : String(value);
}

/** The RLIMIT_* numbers (the generic Linux numbering, x86_64 and aarch64 alike; test/unit/linux-constants.test.ts checks them against libc). */
export const RLIMITS: Record<string, number> = {
  RLIMIT_CPU: 0,
  RLIMIT_FSIZE: 1,
  RLIMIT_DATA: 2,
  RLIMIT_STACK: 3,
  RLIMIT_CORE: 4,
  RLIMIT_RSS: 5,
  RLIMIT_NPROC: 6,
  RLIMIT_NOFILE: 7,
  RLIMIT_MEMLOCK: 8,
  RLIMIT_AS: 9,
  RLIMIT_LOCKS: 10,
  RLIMIT_SIGPENDING: 11,
  RLIMIT_MSGQUEUE: 12,
  RLIMIT_NICE: 13,
  RLIMIT_RTPRIO: 14,
  RLIMIT_RTTIME: 15,
};
