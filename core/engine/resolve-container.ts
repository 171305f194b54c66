import { KitError } from '../errors';

/**
 * The one of `states` that `ref` means, as Docker resolves it: a full id, a
 * name, or a unique prefix of an id; undefined when none matches.
 */
export function resolveContainer<T extends { id: string; name?: string }>(states: T[], ref: string): T | undefined {
  const exact = states.find((s) => s.id === ref || s.name === ref);
  if (exact) return exact;
  const byPrefix = states.filter((s) => s.id.startsWith(ref));
  if (byPrefix.length > 1) throw new KitError(`"${ref}" matches ${byPrefix.length} containers`, 'give more characters of the id, or the name');
  return byPrefix[0];
}
