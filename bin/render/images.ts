import type { Image } from '../../core';
import { table } from './table';

/** `kit image ls` as a table: name, layers, command, created. */
export function renderImageList(images: Image[]): string {
  const rows = images.map((i) => [
    i.name,
    String(i.layers.length),
    JSON.stringify([...(i.config.Entrypoint ?? []), ...(i.config.Cmd ?? [])]),
    i.created.replace('T', ' ').slice(0, 19),
    i.layers[i.layers.length - 1]?.slice(7, 19) ?? '',
  ]);
  return table(['NAME', 'LAYERS', 'COMMAND', 'CREATED', 'TOP LAYER'], rows, 2, undefined, [0]);
}

/** "1 layer", "3 layers", for the one-line results of kit commit and kit build. */
export function layerCount(image: Image): string {
  return `${image.layers.length} layer${image.layers.length === 1 ? '' : 's'}`;
}
