import { KitError } from '../errors';

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * docker logs --since/--until: an RFC 3339 time (2026-11-30T20:00:00Z, or
 * without a zone: local time; a date alone), a Unix timestamp (seconds,
 * with an optional fraction), or a duration before now, as Go writes
 * them (10m, 1h30m, 45s). Returned as milliseconds since the epoch.
 */
export function parseLogTime(flag: string, text: string, now = Date.now()): number {
  const value = text.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  if (/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(value)) {
    let ms = 0;
    for (const [, n, unit] of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(n) * UNIT_MS[unit];
    return now - ms;
  }
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    // A date alone is midnight local time, as Docker reads it (Date.parse would take UTC).
    const parsed = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00` : value.replace(' ', 'T'));
    if (!Number.isNaN(parsed)) return parsed;
  }
  throw new KitError(`bad ${flag} value '${text}'`, 'give a time (2026-11-30T20:00:00Z), a Unix timestamp (1796068800) or a duration before now (10m, 1h30m)');
}
