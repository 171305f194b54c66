import chalk from '../../core/trace/colors';
import type { Chapter, ChapterResult, ProbeResult } from '../../core';
import { renderTrace } from '../../core';

export interface ChapterView {
  trace: boolean;
  explain: boolean;
  strace?: string[];
}

const heading = (text: string) => chalk.bold.underline(text);
const indent = (text: string) => text.split('\n').map((l) => `  ${l}`).join('\n');

function probes(label: string, results: ProbeResult[]): string[] {
  return results.map((r) => `${heading(`${label}: ${r.title}`)}\n${indent(r.text)}\n`);
}

/** A chapter run, in the order a learner reads it. */
export function renderChapter(chapter: Chapter, result: ChapterResult, view: ChapterView): string {
  const out: string[] = [];
  out.push(chalk.bold.cyan(`Chapter ${chapter.id}: ${chapter.title}`), '', chapter.story, '');
  out.push(...probes('Host before', result.before));
  if (view.trace) {
    out.push(heading('What kit did (one line per syscall)'));
    out.push(renderTrace(result.trace, { explain: view.explain ? chapter.explain : undefined }), '');
  }
  if (view.strace) {
    out.push(heading('strace of the process inside (a second view)'));
    out.push(indent(view.strace.join('\n')), '');
  }
  out.push(heading('Inside the container'));
  out.push(indent(result.container.stdout.trimEnd() || '(no output)'));
  if (result.container.stderr.trim()) out.push(indent(chalk.yellow(result.container.stderr.trimEnd())));
  out.push(indent(chalk.dim(exitLine(result))), '');
  out.push(...probes('Host during', result.during));
  out.push(...probes('Host after', result.after));
  if (result.failed) {
    out.push(chalk.red(`The container stopped before its command ran: ${result.failed.syscall} failed with ${result.failed.errno}.`), '');
  }
  out.push(heading('What to notice'), chapter.takeaway, '');
  out.push(heading('Try this'), ...chapter.tryNext.map((t) => `  ${t}`));
  return out.join('\n');
}

function exitLine(result: ChapterResult): string {
  const c = result.container;
  return c.signal ? `(killed by ${c.signal})` : `(exit code ${c.exitCode})`;
}

export function renderChapterList(rows: Array<{ chapter: Chapter; problems: string[] }>): string {
  const lines = rows.map(({ chapter, problems }) => {
    const status = problems.length ? chalk.yellow(`unsupported here: ${problems.join('; ')}`) : chalk.green('ready');
    const turnsOn = chapter.turnsOn.length ? chapter.turnsOn.join(', ') : 'nothing (baseline)';
    return `${chalk.bold(chapter.id.padEnd(8))} ${chapter.title}\n${' '.repeat(9)}turns on: ${turnsOn}  [${status}]\n${' '.repeat(9)}${chalk.dim(chapter.summary)}`;
  });
  return [...lines, '', 'Run one with: sudo kit chapter <id>'].join('\n');
}
