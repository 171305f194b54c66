import { KitError } from '../errors';

/**
 * How ids inside a user namespace translate to the host's: each line of
 * /proc/<pid>/uid_map (and gid_map) is "inside outside count", a range of
 * `count` ids starting at `inside` in the namespace and at `outside` on the
 * host. An id no line covers is unmapped: inside it shows as 65534.
 */
export interface IdMapping {
  inside: number;
  outside: number;
  count: number;
}

/** The uid and gid maps of one user namespace. */
export interface IdMaps {
  uid: IdMapping[];
  gid: IdMapping[];
}

/** Ids are 32-bit, and (uid_t)-1 means "no change" to set*id(): the last usable id is 2^32 - 2. */
const ID_LIMIT = 0xffffffff;
/** Lines the kernel takes in one map (since Linux 4.15; 5 before). */
export const MAX_MAP_LINES = 340;

/** The text written to uid_map or gid_map: one "inside outside count" line each. */
export function formatMap(map: IdMapping[]): string {
  return map.map((m) => `${m.inside} ${m.outside} ${m.count}`).join('\n') + '\n';
}

/** Root inside mapped to one range of `count` ids starting at `outside` (Docker's userns-remap). */
export function rangeMap(outside: number, count: number): IdMapping[] {
  return [{ inside: 0, outside, count }];
}

/** The host id that `inside` maps to, or undefined when the map does not cover it. */
export function hostId(map: IdMapping[], inside: number): number | undefined {
  const line = map.find((m) => inside >= m.inside && inside < m.inside + m.count);
  return line && line.outside + (inside - line.inside);
}

/**
 * podman's --uidmap/--gidmap syntax: CONTAINER_ID:HOST_ID:COUNT, several
 * separated by commas or given as repeated flags. `flag` names the flag in
 * the error.
 */
export function parseMapFlag(flag: string, values: string[]): IdMapping[] {
  const map = values.flatMap((v) => v.split(',')).map((entry) => {
    const parts = entry.split(':');
    const nums = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
    if (parts.length !== 3 || nums.some((n) => !Number.isSafeInteger(n))) {
      throw new KitError(`${flag} ${entry}: expected CONTAINER_ID:HOST_ID:COUNT`, `for example ${flag} 0:100000:65536`);
    }
    return { inside: nums[0], outside: nums[1], count: nums[2] };
  });
  checkMap(flag, map);
  return map;
}

/**
 * What the kernel would refuse with a bare EINVAL, said first and by name:
 * an empty range, ids past 2^32, too many lines, two lines whose ranges
 * overlap inside or on the host.
 */
export function checkMap(flag: string, map: IdMapping[]): void {
  if (map.length === 0) throw new KitError(`${flag}: the map is empty`, 'give at least one CONTAINER_ID:HOST_ID:COUNT');
  if (map.length > MAX_MAP_LINES) throw new KitError(`${flag}: ${map.length} ranges, the kernel takes at most ${MAX_MAP_LINES}`, 'merge adjacent ranges');
  for (const m of map) {
    const text = `${m.inside}:${m.outside}:${m.count}`;
    if (m.count < 1) throw new KitError(`${flag} ${text}: the count must be at least 1`, `for example ${m.inside}:${m.outside}:1`);
    if (m.inside + m.count > ID_LIMIT || m.outside + m.count > ID_LIMIT) {
      throw new KitError(`${flag} ${text}: the range ends past the last id (${ID_LIMIT - 1})`, 'use a smaller start or count');
    }
  }
  for (let i = 0; i < map.length; i++) {
    for (let j = i + 1; j < map.length; j++) {
      const [a, b] = [map[i], map[j]];
      const side = overlap(a.inside, b.inside, a.count, b.count) ? 'inside the container' : overlap(a.outside, b.outside, a.count, b.count) ? 'on the host' : undefined;
      if (side) {
        throw new KitError(
          `${flag}: ${a.inside}:${a.outside}:${a.count} and ${b.inside}:${b.outside}:${b.count} overlap ${side}`,
          'each id may appear in one range only, on each side: make the ranges disjoint',
        );
      }
    }
  }
}

function overlap(a: number, b: number, countA: number, countB: number): boolean {
  return a < b + countB && b < a + countA;
}
