import { chalk, type Chapter } from '../../core';

export function renderChapterList(rows: Array<{ chapter: Chapter; problems: string[]; viaUserns?: boolean }>, invocation: string, root = true): string {
  const lines = rows.map(({ chapter, problems, viaUserns }) => {
    const ready = viaUserns ? 'ready without root (through a user namespace)' : 'ready';
    const status = problems.length ? chalk.yellow(root ? `unsupported here: ${problems.join('; ')}` : problems.join('; ')) : chalk.green(ready);
    const turnsOn = chapter.turnsOn.length ? chapter.turnsOn.join(', ') : 'nothing (baseline)';
    return `${chalk.bold(chapter.id.padEnd(8))} ${chapter.title}\n${' '.repeat(9)}turns on: ${turnsOn}  [${status}]\n${' '.repeat(9)}${chalk.dim(chapter.summary)}`;
  });
  const plain = invocation.replace(/^sudo /, '');
  const footer = root ? `Run one with: ${invocation} chapter <id>` : `Run one with: ${plain} chapter <id> (those that need root: ${invocation} chapter <id>)`;
  return [...lines, '', footer].join('\n');
}
