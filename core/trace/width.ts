/**
 * Fitting text to a terminal's width. Lines may carry ANSI colour codes:
 * they take no columns, and every one of them is kept (so a colour that is
 * switched on is always switched off again), only visible characters are
 * dropped. `Infinity` is "no limit" (output piped, no width asked for).
 */

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const ELLIPSIS = '…';

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Columns a line takes (tabs expanded to 8, as a terminal shows them). */
export function visibleWidth(line: string): number {
  // Called for every trace line and every word of its prose: no regex, spread or copy when the line has no escape and no tab.
  const plain = line.includes('\x1b') ? stripAnsi(line) : line;
  return codePoints(plain.includes('\t') ? expandTabs(plain) : plain);
}

/** How many code points a string holds (a surrogate pair is one), without making an array of them. */
function codePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xdc00 && unit <= 0xdfff) count--; // the second half of a pair
  }
  return count;
}

/** Tabs as the spaces a terminal would show: column widths stay the same when the line is cut. */
export function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  let column = 0;
  for (const token of tokens(line)) {
    if (token === '\t') {
      const spaces = 8 - (column % 8);
      out += ' '.repeat(spaces);
      column += spaces;
    } else {
      out += token;
      if (!token.startsWith('\x1b')) column += 1;
    }
  }
  return out;
}

/** The line, or its start and its end with "…" between them (a trace line keeps its call and its result). */
export function elideMiddle(line: string, width: number): string {
  const flat = expandTabs(line);
  const total = visibleWidth(flat);
  if (total <= width) return flat;
  const keep = Math.max(width - 1, 0);
  const head = Math.ceil(keep * 0.6);
  const tail = keep - head;
  return keepColumns(flat, (i) => i < head || i >= total - tail, head);
}

/** The line cut at the width, "…" in its last column (a table row keeps its first columns). */
export function cutEnd(line: string, width: number): string {
  const flat = expandTabs(line);
  if (visibleWidth(flat) <= width) return flat;
  const keep = Math.max(width - 1, 0);
  return keepColumns(flat, (i) => i < keep, keep);
}

/** Prose wrapped at word boundaries; continuation lines keep the first line's indentation. */
export function wrapWords(line: string, width: number): string[] {
  const flat = expandTabs(line);
  if (visibleWidth(flat) <= width) return [flat];
  const indent = /^ */.exec(stripAnsi(flat))?.[0] ?? '';
  const words = flat.trimStart().split(/ +/);
  const lines: string[] = [];
  let current = '';
  let columns = 0; // visibleWidth(current), kept as words are added rather than measured again
  for (const word of words) {
    const wordColumns = visibleWidth(word);
    if (current && columns + 1 + wordColumns > width) {
      lines.push(current);
      current = '';
    }
    if (current) {
      current += ` ${word}`;
      columns += 1 + wordColumns;
    } else {
      current = indent + word;
      columns = indent.length + wordColumns;
    }
  }
  if (current) lines.push(current);
  // A single word wider than the line (a path, a URL) is cut rather than left to overflow.
  return lines.map((l) => cutEnd(l, width));
}

/** Keep the visible characters whose column passes `keep`; "…" goes where column `at` was dropped. */
function keepColumns(line: string, keep: (column: number) => boolean, at: number): string {
  let out = '';
  let column = 0;
  for (const token of tokens(line)) {
    if (token.startsWith('\x1b')) {
      out += token;
      continue;
    }
    if (column === at) out += ELLIPSIS;
    if (keep(column)) out += token;
    column += 1;
  }
  if (column === at) out += ELLIPSIS;
  return out;
}

/** ANSI escape sequences and single characters (code points), in order. */
function tokens(line: string): string[] {
  return line.match(/\x1b\[[0-9;]*m|[\s\S]/gu) ?? [];
}
