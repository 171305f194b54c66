import { readFileSync } from 'node:fs';

/**
 * /etc/subuid and /etc/subgid: which ranges of host ids each user may map
 * into user namespaces it makes ("name:start:count" per line; the name may
 * be a numeric uid). Docker's userns-remap takes its range from here, for
 * its `dockremap` user; kit does the same for a `kit` user.
 */
export const SUBUID_FILE = '/etc/subuid';
export const SUBGID_FILE = '/etc/subgid';

export interface SubordinateRange {
  user: string;
  start: number;
  count: number;
}

export function readSubordinate(file: string): SubordinateRange[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return []; // no file: nobody has a range yet
  }
  return text.split('\n').flatMap((line) => {
    const [user, start, count] = line.trim().split(':');
    return user && /^\d+$/.test(start ?? '') && /^\d+$/.test(count ?? '') ? [{ user, start: Number(start), count: Number(count) }] : [];
  });
}

/** The first range listed for `user` (by name or by uid), as newuidmap would take it. */
export function rangeOf(ranges: SubordinateRange[], user: string, uid?: number): SubordinateRange | undefined {
  return ranges.find((r) => r.user === user || (uid !== undefined && r.user === String(uid)));
}

/** Where new ranges start, as useradd's SUB_UID_MIN does. */
export const FIRST_SUBORDINATE = 100000;
/** One range: ids 0-65535 inside, enough for any distribution's users. */
export const RANGE_SIZE = 65536;

/**
 * The first `count` ids from FIRST_SUBORDINATE on, in steps of `count`, that
 * overlap no range already given to anyone in either file.
 */
export function freeRange(taken: SubordinateRange[], count = RANGE_SIZE): number {
  for (let start = FIRST_SUBORDINATE; start + count < 0xffffffff; start += count) {
    if (!taken.some((r) => start < r.start + r.count && r.start < start + count)) return start;
  }
  throw new Error('no free subordinate range left'); // 65535 ranges in use: not a case a user meets
}
