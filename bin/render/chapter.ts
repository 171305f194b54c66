import { chalk, wrapWords, type Chapter } from '../../core';

/** Where each chapter's second and third lines start, under its title. */
const HANG = 9;

/**
 * The chapter list, fitted to `width`: each piece wraps at word boundaries and its continuation
 * lines hang under the title, so a 60- or 80-column terminal shows every word.
 */
export function renderChapterList(rows: Array<{ chapter: Chapter; problems: string[]; viaUserns?: boolean }>, invocation: string, root = true, width = Infinity): string {
  const lines = rows.flatMap(({ chapter, problems, viaUserns }) => {
    const ready = viaUserns ? 'ready without root (through a user namespace)' : 'ready';
    const status = problems.length ? chalk.yellow(root ? `unsupported here: ${problems.join('; ')}` : problems.join('; ')) : chalk.green(ready);
    const turnsOn = chapter.turnsOn.length ? chapter.turnsOn.join(', ') : 'nothing (baseline)';
    const [first, ...rest] = hanging(chapter.title, width);
    return [
      `${chalk.bold(chapter.id.padEnd(HANG - 1))} ${first.slice(HANG)}`,
      ...rest,
      ...hanging(`turns on: ${turnsOn}  [${status}]`, width),
      ...hanging(chapter.summary, width).map((l) => chalk.dim(l)),
    ];
  });
  const plain = invocation.replace(/^sudo /, '');
  const footer = root ? `Run one with: ${invocation} chapter <id>` : `Run one with: ${plain} chapter <id> (those that need root: ${invocation} chapter <id>)`;
  return [...lines, '', ...wrapWords(footer, width)].join('\n');
}

/** Text wrapped to the width, every line indented under the title. */
function hanging(text: string, width: number): string[] {
  return wrapWords(`${' '.repeat(HANG)}${text}`, width);
}
