import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { treeView, type Entry, type View } from './view';
import { isOpaque, isWhiteout } from './whiteout';

/** One line of `kit diff`, as `docker diff` prints it: A added, C changed, D deleted. */
export interface Change {
  kind: 'A' | 'C' | 'D';
  path: string;
}


/**
 * A container's changes read from its upper dir (overlay2, aufs): every
 * path there was written by the container. A 0/0 device is a deletion; a
 * name that the image has is a change, any other an addition; an opaque
 * directory also deletes what the image had inside it.
 */
export function upperChanges(upper: string, image: View): Change[] {
  const changes: Change[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(upper, rel))) {
      const path = `${rel}/${name}`;
      const stats = lstatSync(join(upper, path));
      if (isWhiteout(stats)) {
        if (image.has(path)) changes.push({ kind: 'D', path });
        continue;
      }
      changes.push({ kind: image.has(path) ? 'C' : 'A', path });
      if (!stats.isDirectory()) continue;
      if (isOpaque(join(upper, path))) {
        const kept = new Set(readdirSync(join(upper, path)).map((n) => `${path}/${n}`));
        for (const child of childrenOf(image, path)) if (!kept.has(child)) changes.push({ kind: 'D', path: child });
      }
      walk(path);
    }
  };
  walk('');
  return sorted(changes);
}

/**
 * A vfs container has no upper dir: compare its full copy with the image,
 * entry by entry (what Docker's "naive diff" does for drivers like vfs).
 * A deleted directory is one D line, not one per file inside.
 */
export function copyChanges(rootfs: string, image: View): Change[] {
  const now = treeView(rootfs);
  const changes: Change[] = [];
  for (const [path, entry] of now) {
    const before = image.get(path);
    if (!before) changes.push({ kind: 'A', path });
    else if (differs(before, entry)) changes.push({ kind: 'C', path });
  }
  for (const path of image.keys()) {
    const parent = path.slice(0, path.lastIndexOf('/'));
    if (!now.has(path) && (parent === '' || now.has(parent))) changes.push({ kind: 'D', path });
  }
  return sorted(changes);
}

function differs(a: Entry, b: Entry): boolean {
  if (a.type === 'dir' && b.type === 'dir') return a.mode !== b.mode || a.uid !== b.uid || a.gid !== b.gid || a.mtimeMs !== b.mtimeMs;
  return (Object.keys(a) as Array<keyof Entry>).some((k) => a[k] !== b[k]);
}

function childrenOf(view: View, dir: string): string[] {
  return [...view.keys()].filter((p) => p.startsWith(dir + '/') && !p.slice(dir.length + 1).includes('/'));
}

function sorted(changes: Change[]): Change[] {
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
