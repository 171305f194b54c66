import type { ContainerInfo } from '../../core';
import { table } from './table';

const COLUMNS = ['CONTAINER ID', 'COMMAND', 'CREATED', 'STATUS', 'PID', 'NAMES'];

/** `kit ps` as `docker ps` lays it out: one row per container, columns padded. */
export function renderPs(containers: ContainerInfo[], now = Date.now()): string {
  const rows = containers.map((c) => [
    c.id,
    `"${shorten(c.command.join(' '), 20)}"`,
    `${ago(now - Date.parse(c.createdAt))} ago`,
    c.state === 'running' ? `Up ${ago(now - Date.parse(c.createdAt))}` : 'Created',
    String(c.pid ?? '-'),
    c.name,
  ]);
  return table(COLUMNS, rows);
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Docker's wording: "5 seconds", "3 minutes", "2 hours". */
function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return s === 1 ? '1 second' : `${s} seconds`;
  const m = Math.round(s / 60);
  if (m < 60) return m === 1 ? 'About a minute' : `${m} minutes`;
  const h = Math.round(m / 60);
  return h === 1 ? 'About an hour' : `${h} hours`;
}
