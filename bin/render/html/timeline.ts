import type { TimedRecord, TraceEvent } from '../../../core';
import { escape } from './escape';

type TraceRecord = Extract<TimedRecord, { type: 'trace' }>;

const LANES = { host: 40, container: 100 } as const;
const LANE_HEIGHT = 36;
/** Real time across this many pixels; marks closer than MIN_GAP are pushed apart so each can be hovered. */
const SPAN = 1000;
const MIN_GAP = 5;
const LEFT = 90;

/**
 * The trace as an SVG timeline: a lane for the host, one for the container;
 * each call a mark at the time it was made, as wide as it took (at least a
 * sliver), red when it failed; hovering shows the call, its result and why.
 * Moments the host was looked at (probes) and the exit are drawn across.
 */
export function timeline(trace: TraceRecord[], records: TimedRecord[]): string {
  const total = Math.max(1, ...records.map((r) => r.t));
  const scale = SPAN / total;
  let last = -Infinity;
  const marks = trace.map((record, i) => {
    const { event } = record;
    const start = Math.max(0, record.t - event.durationUs / 1000);
    const x = Math.max(LEFT + start * scale, last + MIN_GAP);
    last = x;
    const width = Math.max(2, (event.durationUs / 1000) * scale);
    return mark(event, i, x, width);
  });
  const width = Math.max(last, LEFT + SPAN) + 40;
  const moments = records.flatMap((r) => moment(r, Math.max(...[LEFT, ...marks.map((m) => m.x).filter((_, i) => trace[i].t <= r.t)]) + 2));
  const lanes = Object.entries(LANES).map(
    ([side, y]) => `<rect class="lane" x="0" y="${y - LANE_HEIGHT / 2}" width="${width}" height="${LANE_HEIGHT}"/><text class="lane-label" x="8" y="${y + 5}">${side === 'host' ? 'host (kit)' : 'container'}</text>`,
  );
  return `<p class="meta">${trace.length} calls in ${total} ms. Hover a mark for the call, its result and why kit made it. <span class="legend host">host</span> <span class="legend container">container</span> <span class="legend error">failed</span></p>
<div class="scroll"><svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="${width}" height="150" viewBox="0 0 ${width} 150">${lanes.join('')}${moments.join('')}${marks.map((m) => m.svg).join('')}</svg></div>`;
}

function mark(event: TraceEvent, index: number, x: number, width: number): { x: number; svg: string } {
  const y = LANES[event.side] - LANE_HEIGHT / 2 + 4;
  const call = event.command ? `$ ${event.syscall} ${event.args.join(' ')}` : `${event.syscall}(${event.args.join(', ')})`;
  const result = event.errno ? `-1 ${event.errno} (${event.errnoMessage})` : event.answer ? `${event.ret}: ${event.answer}` : String(event.ret);
  const tip = [`${call} = ${result}`, event.why ? `# ${event.why}` : '', `${event.durationUs} µs`].filter(Boolean).join('\n');
  const kind = event.errno ? 'error' : event.side;
  const svg = `<g class="mark ${kind}" data-index="${index}" data-syscall="${escape(event.syscall)}"><rect x="${x.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${LANE_HEIGHT - 8}" rx="1"/><title>${escape(tip)}</title></g>`;
  return { x, svg };
}

/** A vertical line where the host was looked at, or the container exited. */
function moment(record: TimedRecord, x: number): string[] {
  const label = record.type === 'probes' ? `host ${record.phase}` : record.type === 'exit' ? 'exit' : undefined;
  if (!label) return [];
  return [`<g class="moment"><line x1="${x}" y1="14" x2="${x}" y2="140"/><text x="${x + 3}" y="146">${escape(label)}</text></g>`];
}
