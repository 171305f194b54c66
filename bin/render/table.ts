import { cutEnd } from '../../core';
import { outputWidth } from '../flags/view';

/** A column is never cut narrower than this. */
const MIN_COLUMN = 6;

/**
 * Columns padded to their widest cell, as docker's tables are; `gap` spaces
 * between columns. Too wide for the terminal, the widest columns are cut
 * (their cells end in "…"): every row stays, as `docker ps` keeps its rows.
 * The `whole` columns (an id, a name: what a user types back into the next
 * command) are never cut; when the others at their narrowest still do not
 * fit, the rightmost of them is left out instead.
 */
export function table(header: string[], rows: string[][], gap = 3, width = outputWidth(undefined), whole: number[] = []): string {
  const shown = fitColumns(header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length))), gap, width, whole);
  const cell = (text: string, i: number) => (text.length > shown.get(i)! ? cutEnd(text, shown.get(i)!) : text.padEnd(shown.get(i)!));
  return [header, ...rows].map((r) => r.flatMap((text, i) => (shown.has(i) ? [cell(text, i)] : [])).join(' '.repeat(gap)).trimEnd()).join('\n');
}

/** The width of each column shown, by its index. */
function fitColumns(widths: number[], gap: number, width: number, whole: number[]): Map<number, number> {
  const fitted = new Map(widths.map((w, i) => [i, w]));
  const total = () => [...fitted.values()].reduce((a, b) => a + b, 0) + gap * (fitted.size - 1);
  while (total() > width) {
    const cuttable = [...fitted].filter(([i, w]) => !whole.includes(i) && w > MIN_COLUMN);
    if (cuttable.length) {
      const [widest, w] = cuttable.reduce((a, b) => (b[1] > a[1] ? b : a));
      fitted.set(widest, w - 1);
      continue;
    }
    const droppable = [...fitted.keys()].filter((i) => !whole.includes(i));
    if (droppable.length === 0) break;
    fitted.delete(droppable[droppable.length - 1]);
  }
  return fitted;
}
