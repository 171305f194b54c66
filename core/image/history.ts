import { treeSize } from '../storage/tree';
import type { ImageStore } from './store';

export interface HistoryRow {
  /** The layer the step made, or null for a step that changed only the config. */
  layer: string | null;
  /** Bytes of file content in that layer. */
  size: number;
  createdBy: string;
}

/**
 * `kit image history`: the steps that made an image, newest first, each with
 * the layer it added. History entries and layers pair up in order, skipping
 * the entries marked emptyLayer.
 */
export function imageHistory(store: ImageStore, name: string): HistoryRow[] {
  const image = store.get(name);
  const layers = [...image.layers];
  const rows = image.history.map((entry): HistoryRow => {
    const layer = entry.emptyLayer ? null : layers.shift() ?? null;
    return { layer, size: layer ? treeSize(store.layerDir(layer)) : 0, createdBy: entry.createdBy };
  });
  return rows.reverse();
}

