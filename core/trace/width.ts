/**
 * Fitting text to a terminal's width. Lines may carry ANSI colour codes:
 * they take no columns, and every one of them is kept (so a colour that is
 * switched on is always switched off again), only visible characters are
 * dropped. `Infinity` is "no limit" (output piped, no width asked for).
 */

/** A colour sequence (the same as escapeEnd's); keepColumns walks a line from one to the next. */
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const ELLIPSIS = '…';
/** What makes a code unit other than one column: ESC (a colour takes none), a tab, a surrogate (two units, one column). */
// eslint-disable-next-line no-control-regex
const UNEVEN = /[\x1b\t\ud800-\udfff]/;
/** A surrogate: its text's columns are its code points, not its code units. */
const SURROGATE = /[\ud800-\udfff]/;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Columns a line takes (tabs expanded to 8, as a terminal shows them). */
export function visibleWidth(line: string): number {
  // Called for every trace line and every word of its prose: a line with no
  // colour, tab or surrogate pair (most, and all without colour) is one
  // column per code unit, found by one native scan; the others take one
  // pass over the characters, no copy or array (--trace must cost little).
  if (!UNEVEN.test(line)) return line.length;
  let columns = 0;
  for (let i = 0; i < line.length; ) {
    const unit = line.charCodeAt(i);
    const escape = unit === 0x1b ? escapeEnd(line, i) : -1;
    if (escape > 0) {
      i = escape;
      continue;
    }
    columns += unit === 0x09 ? 8 - (columns % 8) : 1;
    i += codePointLength(line, i);
  }
  return columns;
}

/** Without a tab no character takes more than one column: a line no longer than the width fits, unmeasured. */
function fitsByLength(line: string, width: number): boolean {
  return line.length <= width && !line.includes('\t');
}

/** Where the ANSI colour sequence (ESC [ digits and ; m) starting at `i` ends, or -1 if none starts there. */
function escapeEnd(line: string, i: number): number {
  if (line.charCodeAt(i + 1) !== 0x5b) return -1;
  let j = i + 2;
  for (let unit = line.charCodeAt(j); (unit >= 0x30 && unit <= 0x39) || unit === 0x3b; unit = line.charCodeAt(++j));
  return line.charCodeAt(j) === 0x6d ? j + 1 : -1;
}

/** 2 for a surrogate pair (one code point, one column), else 1. */
function codePointLength(line: string, i: number): number {
  const unit = line.charCodeAt(i);
  if (unit < 0xd800 || unit > 0xdbff) return 1;
  const next = line.charCodeAt(i + 1);
  return next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
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
  if (fitsByLength(line, width)) return line;
  const flat = expandTabs(line);
  const total = visibleWidth(flat);
  if (total <= width) return flat;
  const keep = Math.max(width - 1, 0);
  const head = Math.ceil(keep * 0.6);
  const tail = keep - head;
  return keepColumns(flat, head, total - tail);
}

/** The line cut at the width, "…" in its last column (a table row keeps its first columns). */
export function cutEnd(line: string, width: number): string {
  if (fitsByLength(line, width)) return line;
  const flat = expandTabs(line);
  if (visibleWidth(flat) <= width) return flat;
  const keep = Math.max(width - 1, 0);
  return keepColumns(flat, keep, Infinity);
}

/** Prose wrapped at word boundaries; continuation lines keep the first line's indentation. */
export function wrapWords(line: string, width: number): string[] {
  if (fitsByLength(line, width)) return [line];
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

/**
 * The line's columns before `head` and from `tailFrom` on (head <= tailFrom;
 * Infinity: none), "…" where column `head` was, every colour sequence kept.
 * The text between colour sequences is copied in slices, not character by
 * character: a trace line is fitted once, when Node still interprets the
 * code, and a loop per character cost a few milliseconds per run.
 */
function keepColumns(line: string, head: number, tailFrom: number): string {
  let out = '';
  let column = 0;
  let i = 0;
  ANSI.lastIndex = 0;
  for (let match = ANSI.exec(line); ; match = ANSI.exec(line)) {
    const end = match ? match.index : line.length;
    if (end > i) {
      const kept = keepOfText(line.slice(i, end), column, head, tailFrom);
      out += kept.text;
      column += kept.columns;
    }
    if (!match) break;
    out += match[0]; // colours are all kept
    i = end + match[0].length;
  }
  if (column === head) out += ELLIPSIS;
  return out;
}

/** keepColumns for text without colour sequences that starts at column `start`: what is kept, and the columns the text takes. */
function keepOfText(text: string, start: number, head: number, tailFrom: number): { text: string; columns: number } {
  // Code points: a surrogate pair is one column (an unpaired surrogate one too).
  const units: string | string[] = SURROGATE.test(text) ? Array.from(text) : text;
  const slice = (from: number, to: number) => (typeof units === 'string' ? units.slice(from, to) : units.slice(from, to).join(''));
  const columns = units.length;
  let kept = '';
  if (head > start) kept += slice(0, head - start);
  if (start <= head && head < start + columns) kept += ELLIPSIS;
  if (tailFrom < start + columns) kept += slice(Math.max(tailFrom - start, 0), columns);
  return { text: kept, columns };
}

/** ANSI escape sequences and single characters (code points), in order. */
function tokens(line: string): string[] {
  return line.match(/\x1b\[[0-9;]*m|[\s\S]/gu) ?? [];
}

/**
 * A line wrapped at words to the width, its continuation lines indented
 * `hang` columns past its own indentation (`docker info`'s "  Why: ..."
 * goes on under its text, not under "Why").
 */
export function wrapHanging(line: string, width: number, hang = 2): string[] {
  const indent = /^ */.exec(line)?.[0].length ?? 0;
  const pad = ' '.repeat(indent + hang);
  const [first, ...rest] = wrapWords(line, width);
  if (!rest.length) return [first];
  return [first, ...wrapWords(pad + rest.map((l) => l.trimStart()).join(' '), width)];
}

/**
 * A line of data (an iptables rule, a mount's options, a path) wrapped so
 * that nothing is lost: broken at spaces where it can be (the spacing
 * between words kept, so aligned columns stay aligned), a word wider than
 * the room left broken across lines, never cut. Lines after the first start
 * `hang` columns past the line's own indentation.
 */
export function wrapWhole(line: string, width: number, hang = 2): string[] {
  if (fitsByLength(line, width)) return [line];
  const flat = expandTabs(stripAnsi(line));
  if (visibleWidth(flat) <= width) return [flat];
  const indent = /^ */.exec(flat)?.[0] ?? '';
  const pad = ' '.repeat(Math.min(indent.length + hang, Math.floor(width / 2)));
  const lines: string[] = [];
  let current = indent;
  let empty = true; // nothing but indentation on `current` yet
  for (const [, gap, token] of flat.slice(indent.length).matchAll(/( *)(\S+)/g)) {
    let word = token;
    while (word) {
      const sep = empty ? '' : gap;
      const room = width - visibleWidth(current) - sep.length;
      if (visibleWidth(word) <= room) {
        current += sep + word;
        empty = false;
        break;
      }
      if (!empty && visibleWidth(word) <= width - pad.length) {
        lines.push(current);
        current = pad;
        empty = true;
        continue;
      }
      // Wider than a whole line: as much as fits here, the rest on the next ones.
      const chars = Array.from(word);
      const fit = Math.max(room, 1);
      current += sep + chars.slice(0, fit).join('');
      word = chars.slice(fit).join('');
      lines.push(current);
      current = pad;
      empty = true;
    }
  }
  if (!empty) lines.push(current);
  return lines;
}

/**
 * The width of the terminal `out` writes to: COLUMNS (20 or more), else the
 * terminal's own; output piped with neither is not cut (Infinity).
 */
export function terminalWidth(env: NodeJS.ProcessEnv = process.env, out: NodeJS.WriteStream = process.stdout): number {
  const columns = Number(env.COLUMNS);
  if (Number.isInteger(columns) && columns >= 20) return columns;
  return out.isTTY && out.columns ? out.columns : Infinity;
}
