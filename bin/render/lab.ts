import { chalk, renderTrace } from '../../core';
import type { CheckReport, Lab, LabProgress } from '../../labs';

/** `kit lab`: the labs in curriculum order, each with its chapter and this student's progress. */
export function renderLabList(rows: Array<{ lab: Lab; progress: LabProgress }>): string {
  const lines = rows.map(({ lab, progress }, i) => {
    const status = progress.passed ? chalk.green('passed') : progress.startedAt ? chalk.yellow(`started${progress.checks ? `, ${progress.checks} check(s)` : ''}`) : chalk.dim('not started');
    const hints = progress.hintsShown ? chalk.dim(`, ${progress.hintsShown} hint(s)`) : '';
    return `${String(i + 1).padStart(2)}. ${lab.id.padEnd(8)} ${status}${hints}\n    ${lab.title} ${chalk.dim(`(kit chapter ${lab.chapter})`)}`;
  });
  return [...lines, '', chalk.dim('Start one with `kit lab start ID`, check it with `sudo kit lab check ID`.')].join('\n');
}

/** The checklist: one line per check, then what went wrong and the hint for the first failure. */
export function renderReport(report: CheckReport, options: { trace: boolean }): string {
  const lines = report.checks.map((c) => (c.skipped ? chalk.dim(`- ${c.name} (not checked: the command never ran)`) : `${c.pass ? chalk.green('✔') : chalk.red('✘')} ${c.name}`));
  if (report.failure) {
    lines.push('');
    if (report.failure.why) lines.push(`${chalk.red('What happened:')} ${report.failure.why}`);
    lines.push(`${chalk.yellow('Hint:')} ${report.failure.hint}`);
  } else {
    lines.push('', chalk.green(`Lab ${report.lab} passed.`));
  }
  if (options.trace) lines.push('', chalk.bold('Trace of your run'), renderTrace(report.run.trace));
  else if (report.failure) lines.push(chalk.dim(`(the whole trace of your run: kit lab check ${report.lab} --trace)`));
  return lines.join('\n');
}
