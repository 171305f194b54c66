import type { Hash } from 'node:crypto';

/*
 * kit's sha256, with node:crypto loaded on first use. Its first require runs
 * a dozen of Node's internal modules, about 4 ms: a tenth of what
 * `kit-runtime create` itself does, and paid by every `kit run` that only
 * loaded a storage driver's module, when most runs hash nothing.
 */
const crypto = () => require('node:crypto') as typeof import('node:crypto');

/** A running sha256 (update, then digest('hex')). */
export function sha256(): Hash {
  return crypto().createHash('sha256');
}

/** The hex sha256 of `data`. */
export function sha256Hex(data: string | Buffer): string {
  return sha256().update(data).digest('hex');
}
