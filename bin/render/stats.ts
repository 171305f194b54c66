import type { ContainerStats } from '../../core';
import { table } from './table';

const COLUMNS = ['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'PIDS'];

/**
 * `kit stats` as `docker stats` lays it out. PIDS adds the limit when there
 * is one ("3 / 20"); a container without a cgroup of its own shows "--".
 */
export function renderStats(stats: ContainerStats[]): string {
  const rows = stats.map((s) => [
    s.id,
    s.name,
    s.cpuPercent === null ? '--' : `${s.cpuPercent.toFixed(2)}%`,
    s.memoryUsage === null || s.memoryLimit === null ? '--' : `${bytesSize(s.memoryUsage)} / ${bytesSize(s.memoryLimit)}`,
    s.memoryPercent === null ? '--' : `${s.memoryPercent.toFixed(2)}%`,
    s.pids === null ? '--' : s.pidsLimit === null ? String(s.pids) : `${s.pids} / ${s.pidsLimit}`,
  ]);
  return table(COLUMNS, rows);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Docker's binary sizes: four significant digits, "1.523MiB", "64MiB". */
export function bytesSize(bytes: number): string {
  let n = bytes;
  let unit = 0;
  while (n >= 1024 && unit < UNITS.length - 1) {
    n /= 1024;
    unit++;
  }
  return `${Number(n.toPrecision(4))}${UNITS[unit]}`;
}
