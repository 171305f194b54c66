import type { ContainerStats } from '../../core';
import { table } from './table';

const COLUMNS = ['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'PIDS'];

/**
 * `kit stats` as `docker stats` lays it out (BLOCK I/O aside). PIDS adds the
 * limit when there is one ("3 / 20"); a container without a cgroup of its
 * own shows "--", as NET I/O does for one on the host's network.
 */
export function renderStats(stats: ContainerStats[]): string {
  const rows = stats.map((s) => [
    s.id,
    s.name,
    s.cpuPercent === null ? '--' : `${s.cpuPercent.toFixed(2)}%`,
    s.memoryUsage === null || s.memoryLimit === null ? '--' : `${bytesSize(s.memoryUsage)} / ${bytesSize(s.memoryLimit)}`,
    s.memoryPercent === null ? '--' : `${s.memoryPercent.toFixed(2)}%`,
    s.netRxBytes === null || s.netTxBytes === null ? '--' : `${humanSize(s.netRxBytes)} / ${humanSize(s.netTxBytes)}`,
    s.pids === null ? '--' : s.pidsLimit === null ? String(s.pids) : `${s.pids} / ${s.pidsLimit}`,
  ]);
  return table(COLUMNS, rows, 3, undefined, [0, 1]);
}

/** Docker's memory sizes: binary units, four significant digits ("1.523MiB", "64MiB"). */
export function bytesSize(bytes: number): string {
  return scaled(bytes, 1024, ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'], 4);
}

/** Docker's I/O sizes: decimal units, three significant digits ("1.05kB", "648B"). */
export function humanSize(bytes: number): string {
  return scaled(bytes, 1000, ['B', 'kB', 'MB', 'GB', 'TB', 'PB'], 3);
}

function scaled(bytes: number, base: number, units: string[], digits: number): string {
  let n = bytes;
  let unit = 0;
  while (n >= base && unit < units.length - 1) {
    n /= base;
    unit++;
  }
  return `${Number(n.toPrecision(digits))}${units[unit]}`;
}
