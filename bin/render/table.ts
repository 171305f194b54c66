import { cutEnd } from '../../core';
import { outputWidth } from '../flags/view';

/** A column is never cut narrower than this. */
const MIN_COLUMN = 6;

/**
 * Columns padded to their widest cell, as docker's tables are; `gap` spaces
 * between columns. Too wide for the terminal, the widest columns are cut
 * (their cells end in "…"): every row stays, as `docker ps` keeps its rows.
 */
export function table(header: string[], rows: string[][], gap = 3, width = outputWidth(undefined)): string {
  const widths = fitColumns(header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length))), gap, width);
  const cell = (text: string, i: number) => (text.length > widths[i] ? cutEnd(text, widths[i]) : text.padEnd(widths[i]));
  return [header, ...rows].map((r) => r.map(cell).join(' '.repeat(gap)).trimEnd()).join('\n');
}

function fitColumns(widths: number[], gap: number, width: number): number[] {
  const fitted = [...widths];
  const total = () => fitted.reduce((a, b) => a + b, 0) + gap * (fitted.length - 1);
  while (total() > width) {
    const widest = fitted.indexOf(Math.max(...fitted));
    if (fitted[widest] <= MIN_COLUMN) break;
    fitted[widest] -= 1;
  }
  return fitted;
}
