import { diffLines } from '../../../core';
import type { CheckedClaim, ProbeResult, RecordingHeader, TimedRecord, TraceEvent } from '../../../core';
import { networkPicture } from './network';
import { processTree } from './process-tree';
import { PAGE_CSS } from './style';
import { timeline } from './timeline';
import { escape } from './escape';

type Of<T extends TimedRecord['type']> = Extract<TimedRecord, { type: T }>;

/**
 * A run as one self-contained HTML page (no script, no network: CSS and SVG
 * inline) for a projector or to share after class: the story, a timeline of
 * the trace, the host's process tree with the container's namespaces drawn
 * around its processes, the network (when the run had one), the host's views
 * with what changed, the output, and what the run showed.
 */
export function htmlPage(header: RecordingHeader, records: TimedRecord[]): string {
  const of = <T extends TimedRecord['type']>(type: T) => records.filter((r): r is Of<T> => r.type === type);
  const chapter = header.chapter;
  const title = chapter ? `kit chapter ${chapter.id}: ${chapter.title}` : `kit ${header.command.join(' ')}`;
  const end = of('end')[0];
  const parts = [
    `<header><h1>${escape(title)}</h1><p class="meta">${escape(meta(header))}</p></header>`,
    chapter ? `<section id="story"><h2>The idea</h2><pre class="prose">${escape(chapter.story)}</pre>${chapter.unconfined ? `<p class="warn">This chapter ${escape(chapter.unconfined)}.</p>` : ''}</section>` : '',
    `<section id="timeline"><h2>What kit did, over time</h2>${timeline(of('trace'), records)}</section>`,
    processTree(of('tree').pop()),
    networkPicture(of('probes').flatMap((p) => (p.phase === 'during' || p.phase === 'running' ? p.results : []))),
    probesSection(of('probes')),
    outputSection(of('output'), of('exit')[0]),
    traceTable(of('trace').map((r) => r.event)),
    chapter ? noticeSection(chapter.takeaway, end?.claims ?? [], chapter.tryNext, header.invocation) : '',
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title><style>${PAGE_CSS}</style></head>
<body>${parts.filter(Boolean).join('\n')}</body></html>
`;
}

function meta(header: RecordingHeader): string {
  const h = header.host;
  return `recorded ${header.recordedAt} by kit ${header.kit}: \`kit ${header.command.join(' ')}\` on Linux ${h.kernel} (${h.arch}), cgroup ${h.cgroup}, Node ${h.node}`;
}

const PHASES: Record<string, string> = { before: 'Before', during: 'During', running: 'While it runs', compare: 'Comparison', after: 'After' };

/** Each view of the host, the later ones as a diff against the same view before the run. */
function probesSection(probes: Array<Of<'probes'>>): string {
  if (!probes.length) return '';
  const before = new Map(probes.filter((p) => p.phase === 'before').flatMap((p) => p.results).map((r) => [r.probe, r]));
  const blocks = probes.flatMap((p) => p.results.map((r) => probeBlock(p.label ?? PHASES[p.phase], r, p.phase === 'before' ? undefined : before.get(r.probe))));
  return `<section id="host"><h2>The host's view: before, during, after</h2>${blocks.join('\n')}</section>`;
}

function probeBlock(label: string, result: ProbeResult, earlier?: ProbeResult): string {
  const diff = earlier ? diffLines(earlier.text, result.text) : result.text.split('\n').map((text) => ({ mark: ' ' as const, text }));
  const same = earlier !== undefined && diff.every((l) => l.mark === ' ');
  const lines = diff.map((l) => `<span class="${l.mark === '+' ? 'add' : l.mark === '-' ? 'del' : 'ctx'}">${escape(`${earlier && !same ? `${l.mark} ` : ''}${l.text}`)}</span>`).join('\n');
  return `<div class="probe"><h3>${escape(`${label}: ${result.title}`)}${same ? ' <span class="same">no change</span>' : ''}</h3><pre>${lines}</pre></div>`;
}

function outputSection(output: Array<Of<'output'>>, exit?: Of<'exit'>): string {
  const text = output.map((o) => `<span class="${o.stream}">${escape(o.text)}</span>`).join('');
  const status = !exit ? '' : exit.stoppedByKit ? 'stopped by kit with SIGKILL once its probes were taken' : exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.exitCode}`;
  return `<section id="output"><h2>Inside the container</h2><pre>${text || '(no output)'}</pre><p class="meta">${escape(status)}</p></section>`;
}

function traceTable(events: TraceEvent[]): string {
  const rows = events.map((e, i) => {
    const call = e.command ? `$ ${e.syscall} ${e.args.join(' ')}` : `${e.syscall}(${e.args.join(', ')})`;
    const result = e.errno ? `-1 ${e.errno} (${e.errnoMessage})` : e.answer ? `${e.ret}: ${e.answer}` : String(e.ret);
    return `<tr id="call-${i}" class="${e.side}${e.errno ? ' error' : ''}"><td>${e.side === 'host' ? 'host' : 'ctr'}</td><td><code>${escape(call)}</code> = ${escape(result)}<div class="why">${escape(e.why ?? '')}</div></td><td class="num">${e.durationUs} µs</td></tr>`;
  });
  return `<section id="trace"><details><summary>Every call, in order (${events.length})</summary><table>${rows.join('\n')}</table></details></section>`;
}

function noticeSection(takeaway: string, claims: CheckedClaim[], tryNext: string[], invocation: string): string {
  const checks = claims.map((c) => `<li class="${c.held ? 'held' : 'missed'}">${c.held ? '✓' : '✗ not in this run:'} ${escape(c.says)}</li>`).join('');
  const tries = tryNext.map((t) => `<li><code>${escape(t.replace(/^sudo kit /, `${invocation} `))}</code></li>`).join('');
  return `<section id="notice"><h2>What to notice</h2><pre class="prose">${escape(takeaway)}</pre><ul class="claims">${checks}</ul><h2>Try this</h2><ul class="try">${tries}</ul></section>`;
}
