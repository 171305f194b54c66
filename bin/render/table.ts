/** Columns padded to their widest cell, as docker's tables are; `gap` spaces between columns. */
export function table(header: string[], rows: string[][], gap = 3): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join(' '.repeat(gap)).trimEnd()).join('\n');
}
