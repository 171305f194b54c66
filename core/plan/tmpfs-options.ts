import { parseBytes } from '../cgroups/limits';
import { KitError } from '../errors';

/*
 * The values a tmpfs takes, whoever gives them: `--tmpfs /x:size=64m,mode=755`,
 * `--mount type=tmpfs,tmpfs-size=...`, or a config.json's tmpfs options
 * (kit-runtime). `what` names where the value came from in the error.
 */

/** A tmpfs size: Docker's sizes (64m, 65536k), at least one page. */
export function tmpfsSize(what: string, value: string): number {
  const size = parseBytes(what, value);
  if (size < 4096) throw new KitError(`bad ${what} '${value}': below one page`, 'give a size like 8m or 64m');
  return size;
}

/** A tmpfs root directory's mode, in octal (1777, 755). */
export function tmpfsMode(what: string, value: string): number {
  if (!/^0?[0-7]{3,4}$/.test(value)) throw new KitError(`bad ${what} mode '${value}'`, 'give an octal mode, e.g. mode=1777 or mode=755');
  return parseInt(value, 8);
}
