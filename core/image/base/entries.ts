import { chmodSync, copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sha256Hex } from '../../sha256';

/**
 * A layer described before it exists: every directory, file and symlink it
 * will hold. Knowing the content first lets kit name the layer by its digest
 * before writing it, so two kit processes building it agree on one name.
 */
export type LayerEntry =
  | { kind: 'dir'; path: string; mode: number }
  | { kind: 'file'; path: string; mode: number; copyOf: string }
  | { kind: 'file'; path: string; mode: number; text: string }
  | { kind: 'symlink'; path: string; target: string };

/**
 * The layer's digest: sha256 of a canonical listing, one line per entry
 * sorted by path: `<kind> <octal mode> <path> <sha256 of the bytes, or the
 * link target>`. It changes whenever any file's bytes, mode or place change.
 * (Docker's diff_id hashes a tar stream instead; a tar's bytes depend on the
 * tar writer, a listing does not.)
 */
export function layerDigest(entries: LayerEntry[]): string {
  const lines = [...entries].sort((a, b) => a.path.localeCompare(b.path)).map(describe);
  return 'sha256:' + sha256Hex(lines.join('\n'));
}

function describe(entry: LayerEntry): string {
  switch (entry.kind) {
    case 'dir':
      return `dir ${entry.mode.toString(8)} ${entry.path}`;
    case 'symlink':
      return `symlink 777 ${entry.path} ${entry.target}`;
    case 'file':
      return `file ${entry.mode.toString(8)} ${entry.path} ${sha256Hex('copyOf' in entry ? readFileSync(entry.copyOf) : entry.text)}`;
  }
}


/** Write the entries under `dir` (parents first, modes exact despite the umask). */
export function writeEntries(dir: string, entries: LayerEntry[]): void {
  const byDepth = [...entries].sort((a, b) => a.path.split('/').length - b.path.split('/').length);
  for (const entry of byDepth) {
    const target = join(dir, entry.path);
    mkdirSync(dirname(target), { recursive: true });
    if (entry.kind === 'dir') mkdirSync(target, { recursive: true });
    else if (entry.kind === 'symlink') symlinkSync(entry.target, target);
    else if ('copyOf' in entry) copyFileSync(entry.copyOf, target);
    else writeFileSync(target, entry.text);
    if (entry.kind !== 'symlink') chmodSync(target, entry.mode);
  }
}
