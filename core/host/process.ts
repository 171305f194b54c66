import { readFileSync } from 'node:fs';

/**
 * A process's start time (clock ticks since boot, field 22 of /proc/<pid>/stat).
 * A pid alone can be reused; pid + start time names one process for good.
 */
export function processStartTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]);
  } catch {
    return undefined;
  }
}

export interface ProcessRef {
  pid: number;
  startTime: number;
}

export function self(): ProcessRef {
  return { pid: process.pid, startTime: processStartTime(process.pid) ?? 0 };
}

export function isAlive(ref: ProcessRef): boolean {
  return processStartTime(ref.pid) === ref.startTime;
}
