import type { Image } from '../../core';

/** `kit image ls` as a table: name, layers, command, created. */
export function renderImageList(images: Image[]): string {
  const rows = images.map((i) => [
    i.name,
    String(i.layers.length),
    JSON.stringify([...(i.config.Entrypoint ?? []), ...(i.config.Cmd ?? [])]),
    i.created.replace('T', ' ').slice(0, 19),
    i.layers[i.layers.length - 1]?.slice(7, 19) ?? '',
  ]);
  const table = [['NAME', 'LAYERS', 'COMMAND', 'CREATED', 'TOP LAYER'], ...rows];
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  return table.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}
