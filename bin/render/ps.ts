import type { ContainerInfo } from '../../core';
import { table } from './table';

const COLUMNS = ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'PID', 'NAMES'];

/** `kit ps` as `docker ps` lays it out: one row per container, columns padded. */
export function renderPs(containers: ContainerInfo[], now = Date.now()): string {
  const rows = containers.map((c) => {
    const row = psFields(c, now);
    return [c.id, c.image ?? '-', `"${shorten(c.command.join(' '), 20)}"`, String(row.RunningFor), statusText(c, now), portsText(c), String(c.pid ?? '-'), c.name];
  });
  return table(COLUMNS, rows, 3, undefined, [0, COLUMNS.length - 1]);
}

/** The fields `docker ps --format` knows, by its names ({{.ID}}, {{.Status}}...). */
export function psFields(c: ContainerInfo, now = Date.now()): Record<string, string | number | null> {
  return {
    ID: c.id,
    Image: c.image ?? '-',
    Command: c.command.join(' '),
    CreatedAt: c.createdAt,
    RunningFor: `${ago(now - Date.parse(c.createdAt))} ago`,
    Status: statusText(c, now),
    State: c.state,
    Ports: portsText(c),
    Names: c.name,
    Pid: c.pid,
    ExitCode: c.exitCode,
  };
}

/** Docker's STATUS column: "Up 5 seconds", "Up 2 minutes (Paused)", "Exited (0) 3 seconds ago", "Created". */
export function statusText(c: ContainerInfo, now = Date.now()): string {
  const since = (iso: string | null) => ago(now - Date.parse(iso ?? c.createdAt));
  if (c.state === 'running') return `Up ${since(c.startedAt)}`;
  if (c.state === 'paused') return `Up ${since(c.startedAt)} (Paused)`;
  if (c.state === 'exited') return `Exited (${c.exitCode}) ${since(c.finishedAt)} ago${c.oomKilled ? ' (OOMKilled)' : ''}`;
  return 'Created';
}

/** Docker's PORTS column: "0.0.0.0:8080->80/tcp, 0.0.0.0:5353->53/udp". */
function portsText(c: ContainerInfo): string {
  return c.ports.map((p) => `${p.hostIp ?? '0.0.0.0'}:${p.hostPort}->${p.containerPort}/${p.protocol}`).join(', ');
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
  if (h < 48) return h === 1 ? 'About an hour' : `${h} hours`;
  return `${Math.round(h / 24)} days`;
}
