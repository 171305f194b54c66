import { chalk, type Chapter } from '../../core';

export function renderChapterList(rows: Array<{ chapter: Chapter; problems: string[] }>, invocation: string): string {
  const lines = rows.map(({ chapter, problems }) => {
    const status = problems.length ? chalk.yellow(`unsupported here: ${problems.join('; ')}`) : chalk.green('ready');
    const turnsOn = chapter.turnsOn.length ? chapter.turnsOn.join(', ') : 'nothing (baseline)';
    return `${chalk.bold(chapter.id.padEnd(8))} ${chapter.title}\n${' '.repeat(9)}turns on: ${turnsOn}  [${status}]\n${' '.repeat(9)}${chalk.dim(chapter.summary)}`;
  });
  return [...lines, '', `Run one with: ${invocation} chapter <id>`].join('\n');
}
