import { KitError } from '../errors';
import type { Rlimit } from '../spec';
import { RLIMITS } from './process-limits';

/**
 * `kit run --ulimit nofile=1024:2048` as spec.rlimits, which kit-init sets on
 * itself before the exec (core/plan/process-limits.ts), as an OCI config's
 * process.rlimits are.
 */
/** NAME=SOFT[:HARD], each a number or -1/unlimited, as docker run --ulimit takes it. */
export function parseUlimit(text: string): Rlimit {
  const m = /^([a-z]+)=(-1|unlimited|\d{1,19})(?::(-1|unlimited|\d{1,19}))?$/.exec(text);
  const name = m && `RLIMIT_${m[1].toUpperCase()}`;
  if (!m || !name || !(name in RLIMITS)) throw new KitError(`bad --ulimit '${text}'`, `use NAME=SOFT[:HARD] with NAME one of ${Object.keys(RLIMITS).map((n) => n.slice(7).toLowerCase()).join(', ')}, e.g. --ulimit nofile=1024:2048`);
  const value = (v: string) => (v === '-1' || v === 'unlimited' ? -1 : Number(v));
  const soft = value(m[2]);
  const hard = m[3] === undefined ? soft : value(m[3]);
  if (!Number.isSafeInteger(soft) || !Number.isSafeInteger(hard)) throw new KitError(`bad --ulimit '${text}': a value is too large`, 'use -1 for unlimited');
  if (hard !== -1 && (soft === -1 || soft > hard)) throw new KitError(`bad --ulimit '${text}': the soft limit is above the hard one`, 'give SOFT <= HARD, e.g. nofile=1024:2048');
  return { resource: RLIMITS[name], name, soft, hard };
}
