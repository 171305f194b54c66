import { existsSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * A process's start time (clock ticks since boot, field 22 of /proc/<pid>/stat).
 * A pid alone can be reused; pid + start time names one process for good.
 */
export function processStartTime(pid: number): number | undefined {
  return processStat(pid)?.startTime;
}

/** A process's state letter (R, S, Z...), parent and start time, from /proc/<pid>/stat; undefined once it is gone. */
export function processStat(pid: number): { state: string; ppid: number; startTime: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name, in parentheses, may hold spaces: fields are counted after its ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], ppid: Number(fields[1]), startTime: Number(fields[19]) };
  } catch {
    return undefined;
  }
}

/** One field of /proc/<pid>/status (NSpid, TracerPid...), its values space-separated; undefined once the process is gone. */
export function statusField(pid: number, field: string): string | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(field + ':'));
    return line?.slice(field.length + 1).trim().replace(/\s+/g, ' ');
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

/**
 * A zombie is not alive: it has exited and only waits for its parent to
 * reap it (a killed shim's parent is PID 1, which may take its time).
 */
export function isAlive(ref: ProcessRef): boolean {
  const stat = processStat(ref.pid);
  return stat !== undefined && stat.state !== 'Z' && stat.startTime === ref.startTime;
}

/**
 * Whether process `pid` is in another namespace of type `nsFile` (the name
 * under /proc/<pid>/ns: mnt, uts, pid...) than kit itself. A type this kernel
 * lacks, or a process that is gone, differs in nothing.
 */
export function namespaceDiffers(pid: number, nsFile: string): boolean {
  const ours = `/proc/self/ns/${nsFile}`;
  if (!existsSync(ours)) return false;
  try {
    return readlinkSync(`/proc/${pid}/ns/${nsFile}`) !== readlinkSync(ours);
  } catch {
    return false;
  }
}
