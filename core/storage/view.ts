import { lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { isOpaque, isWhiteout } from './whiteout';

/** What `kit diff` compares of one path. */
export interface Entry {
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
  target?: string;
}

/** path ("/etc/hosts") -> entry. */
export type View = Map<string, Entry>;


/**
 * The merged view of layers (bottom first) as overlayfs would show it,
 * computed from the directories: a whiteout removes the name and everything
 * under it, an opaque directory removes what lower layers put inside.
 */
export function layersView(layers: string[]): View {
  const view: View = new Map();
  for (const layer of layers) walk(layer, '', view, true);
  return view;
}

/** A plain directory tree (a vfs copy), no whiteouts. */
export function treeView(root: string): View {
  const view: View = new Map();
  walk(root, '', view, false);
  return view;
}

function walk(root: string, rel: string, view: View, layer: boolean): void {
  for (const name of readdirSync(join(root, rel))) {
    const path = `${rel}/${name}`;
    const stats = lstatSync(join(root, path));
    if (layer && isWhiteout(stats)) {
      removeTree(view, path);
      continue;
    }
    if (layer && stats.isDirectory() && isOpaque(join(root, path))) removeTree(view, path);
    view.set(path, entryOf(stats, join(root, path)));
    if (stats.isDirectory()) walk(root, path, view, layer);
  }
}

export function removeTree(view: View, path: string): void {
  view.delete(path);
  for (const key of view.keys()) if (key.startsWith(path + '/')) view.delete(key);
}

export function entryOf(stats: Stats, path: string): Entry {
  const type = stats.isDirectory() ? 'dir' : stats.isFile() ? 'file' : stats.isSymbolicLink() ? 'symlink' : 'other';
  return {
    type,
    mode: stats.mode & 0o7777,
    uid: stats.uid,
    gid: stats.gid,
    size: type === 'dir' ? 0 : stats.size,
    mtimeMs: Math.round(stats.mtimeMs), // a copy's time is exact to well under a millisecond
    target: type === 'symlink' ? readlinkSync(path) : undefined,
  };
}
