import { KitError } from '../errors';
import type { ContainerSpec, Ulimit } from '../spec';
import type { PlanPart } from './plan';

/** Linux's RLIMIT_* numbers, by Docker's --ulimit names. */
const RESOURCES: Record<string, number> = {
  cpu: 0, fsize: 1, data: 2, stack: 3, core: 4, rss: 5, nproc: 6, nofile: 7,
  memlock: 8, as: 9, locks: 10, sigpending: 11, msgqueue: 12, nice: 13, rtprio: 14, rttime: 15,
};

/**
 * `kit run --ulimit nofile=1024:2048`: kit-init calls setrlimit on itself,
 * and the command inherits the limits through execve. Lowering needs no
 * privilege; raising a hard limit above kit's needs CAP_SYS_RESOURCE (the
 * setrlimit then fails with EPERM, in the trace).
 */
export function planUlimits(spec: ContainerSpec): PlanPart {
  return {
    container: (spec.ulimits ?? []).map((u) => ({
      op: 'setrlimit' as const,
      resource: RESOURCES[u.name],
      soft: u.soft,
      hard: u.hard,
      why: `--ulimit ${formatUlimit(u)}: RLIMIT_${u.name.toUpperCase()}, inherited by the command through execve`,
    })),
  };
}

/** NAME=SOFT[:HARD], each a number or -1/unlimited, as docker run --ulimit takes it. */
export function parseUlimit(text: string): Ulimit {
  const m = /^([a-z]+)=(-1|unlimited|\d{1,19})(?::(-1|unlimited|\d{1,19}))?$/.exec(text);
  if (!m || !(m[1] in RESOURCES)) throw new KitError(`bad --ulimit '${text}'`, `use NAME=SOFT[:HARD] with NAME one of ${Object.keys(RESOURCES).join(', ')}, e.g. --ulimit nofile=1024:2048`);
  const value = (v: string) => (v === '-1' || v === 'unlimited' ? -1 : Number(v));
  const soft = value(m[2]);
  const hard = m[3] === undefined ? soft : value(m[3]);
  if (!Number.isSafeInteger(soft) || !Number.isSafeInteger(hard)) throw new KitError(`bad --ulimit '${text}': a value is too large`, 'use -1 for unlimited');
  if (hard !== -1 && (soft === -1 || soft > hard)) throw new KitError(`bad --ulimit '${text}': the soft limit is above the hard one`, 'give SOFT <= HARD, e.g. nofile=1024:2048');
  return { name: m[1], soft, hard };
}

function formatUlimit(u: Ulimit): string {
  const v = (n: number) => (n === -1 ? 'unlimited' : String(n));
  return `${u.name}=${v(u.soft)}:${v(u.hard)}`;
}
