import { chalk, renderTrace, wrapHanging, wrapWords } from '../../core';
import type { CheckReport, Lab, LabProgress } from '../../labs';

/** `kit lab`: the labs in curriculum order, each with its chapter and this student's progress. */
export function renderLabList(rows: Array<{ lab: Lab; progress: LabProgress }>, width: number): string {
  const lines = rows.flatMap(({ lab, progress }, i) => {
    const status = progress.passed ? chalk.green('passed') : progress.startedAt ? chalk.yellow(`started${progress.checks ? `, ${progress.checks} check(s)` : ''}`) : chalk.dim('not started');
    const hints = progress.hintsShown ? chalk.dim(`, ${progress.hintsShown} hint(s)`) : '';
    const sudo = typeof lab.withoutRoot === 'object' ? chalk.dim(', check with sudo') : '';
    return [`${String(i + 1).padStart(2)}. ${lab.id.padEnd(8)} ${status}${hints}${sudo}`, ...wrapWords(`    ${lab.title} ${chalk.dim(`(kit chapter ${lab.chapter})`)}`, width)];
  });
  const footer = 'Start one with `kit lab start ID`, check it with `kit lab check ID` (with sudo where marked: those change the host itself).';
  return [...lines, '', ...wrapWords(footer, width).map((l) => chalk.dim(l))].join('\n');
}

/** Lines of a lab command's message, each wrapped at the width, continuations indented two columns. */
export function renderLabText(lines: string[], width: number): string {
  return lines.flatMap((line) => (line === '' ? [''] : wrapHanging(line, width))).join('\n');
}

/** The checklist: one line per check, then what went wrong and the hint for the first failure, fitted to `width`. */
export function renderReport(report: CheckReport, options: { trace: boolean; width: number }): string {
  const fit = (text: string, paint: (s: string) => string = (s) => s) => wrapWords(text, options.width - 2).map((l, i) => (i === 0 ? paint(l) : `  ${l}`));
  const lines = report.checks.flatMap((c) => (c.skipped ? fit(`- ${c.name} (not checked: the command never ran)`, chalk.dim) : fit(`${c.pass ? chalk.green('✔') : chalk.red('✘')} ${c.name}`)));
  if (report.failure) {
    lines.push('');
    if (report.failure.why) lines.push(...fit(`${chalk.red('What happened:')} ${report.failure.why}`));
    lines.push(...fit(`${chalk.yellow('Hint:')} ${report.failure.hint}`));
  } else {
    lines.push('', chalk.green(`Lab ${report.lab} passed.`));
  }
  if (options.trace) lines.push('', chalk.bold('Trace of your run'), renderTrace(report.run.trace, { width: options.width }));
  else if (report.failure) lines.push(...fit(`(the whole trace of your run: kit lab check ${report.lab} --trace)`, chalk.dim));
  return lines.join('\n');
}
