/**
 * A line diff of two views of the host (before and after a run): the lines
 * only `after` has are added, the lines only `before` had are removed, the
 * rest is unchanged. Longest common subsequence, so a line that merely moved
 * between changes is not reported as changed.
 */
export type DiffLine = { mark: ' ' | '+' | '-'; text: string };

/** A summary line ("... (87 more lines)") is not part of the view: never marked. */
const SUMMARY = /^\.\.\. \(\d+ more lines?\)$/;

export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  // Trailing blanks do not count: ipcs pads its header only when rows follow it.
  const same = (x: string, y: string) => x.trimEnd() === y.trimEnd() || (SUMMARY.test(x.trim()) && SUMMARY.test(y.trim()));
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = same(a[i], b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && same(a[i], b[j])) {
      out.push({ mark: ' ', text: b[j] });
      i++;
      j++;
    } else if (j < b.length && (i >= a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
      out.push({ mark: SUMMARY.test(b[j].trim()) ? ' ' : '+', text: b[j] });
      j++;
    } else {
      if (!SUMMARY.test(a[i].trim())) out.push({ mark: '-', text: a[i] });
      i++;
    }
  }
  return out;
}

export function unchanged(diff: DiffLine[]): boolean {
  return diff.every((l) => l.mark === ' ');
}
