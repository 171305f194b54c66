import { chalk, type Chapter, type ChapterResult, type ProbeResult, renderTrace } from '../../core';

export interface ChapterView {
  trace: boolean;
  explain: boolean;
  strace?: string[];
}

const heading = (text: string) => chalk.bold.underline(text);
const indent = (text: string) => text.split('\n').map((l) => `  ${l}`).join('\n');

/** Probe results; lines the same probe did not show before the run are marked `+` (what kit added). */
function probes(label: string, results: ProbeResult[], before: ProbeResult[] = []): string[] {
  return results.map((r) => {
    const earlier = before.find((b) => b.probe === r.probe);
    const text = earlier ? markAdded(r.text, earlier.text) : r.text;
    return `${heading(`${label}: ${r.title}`)}\n${indent(text)}\n`;
  });
}

function markAdded(text: string, earlier: string): string {
  // Trailing blanks do not count: ipcs pads its header only when rows follow it.
  const seen = new Set(earlier.split('\n').map((l) => l.trimEnd()));
  const isNew = (l: string) => !seen.has(l.trimEnd());
  if (!text.split('\n').some(isNew)) return text;
  return text.split('\n').map((l) => (isNew(l) ? chalk.green(`+ ${l}`) : `  ${l}`)).join('\n');
}

/** A chapter run, in the order a learner reads it. */
export function renderChapter(chapter: Chapter, result: ChapterResult, view: ChapterView): string {
  const out: string[] = [];
  out.push(chalk.bold.cyan(`Chapter ${chapter.id}: ${chapter.title}`), '', chapter.story, '');
  if (result.unconfined) out.push(chalk.yellow(`This chapter ${result.unconfined}.`), '');
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
  const stopped = result.running.length > 0 && result.container.signal === 'SIGKILL';
  out.push(indent(chalk.dim(stopped ? '(stopped by kit with SIGKILL once the probes below were taken)' : exitLine(result.container))));
  out.push(...result.container.notes.map((n) => indent(chalk.yellow(`kit: ${n}`))), '');
  out.push(...probes('Host during', result.during, result.before));
  out.push(...probes('Host while it runs', result.running, result.before));
  if (result.comparison) {
    out.push(...probes(`The same container ${result.comparison.label}`, result.comparison.running, result.before));
  }
  out.push(...probes('Host after', result.after, result.before));
  if (result.failed) {
    out.push(chalk.red(`The container stopped before its command ran: ${result.failed.syscall} failed with ${result.failed.errno}.`), '');
  }
  out.push(heading('What to notice'), chapter.takeaway, '');
  out.push(heading('Try this'), ...chapter.tryNext.map((t) => `  ${t}`));
  return out.join('\n');
}

function exitLine(c: ChapterResult['container']): string {
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
