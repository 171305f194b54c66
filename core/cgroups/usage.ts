import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CGROUP_ROOT, detectHost } from './detect';

/** What a container's cgroup counted, from its files (undefined: no such file here). */
export interface Usage {
  /** CPU time used, microseconds (v1 cpuacct.usage, v2 cpu.stat usage_usec). */
  cpuUsec?: number;
  /** CPU time in user and in kernel mode, microseconds (v1 cpuacct.stat, in USER_HZ ticks; v2 cpu.stat user_usec, system_usec). */
  cpuUserUsec?: number;
  cpuSystemUsec?: number;
  /** Time the CFS quota held the group off the CPU, microseconds (cpu.stat throttled_time / throttled_usec). */
  throttledUsec?: number;
  /** Periods in which the group ran, and in which it ran out of quota (cpu.stat). */
  periods?: number;
  throttledPeriods?: number;
  memoryBytes?: number;
  memoryLimit?: number;
  /** The most it was ever charged (v1 memory.max_usage_in_bytes, v2 memory.peak: Linux 5.19+). */
  memoryMaxBytes?: number;
  /** Times the memory limit was hit (v1 memory.failcnt, v2 memory.events max). */
  memoryFailcnt?: number;
  /** Processes the OOM killer ended (oom_kill in memory.oom_control / memory.events). */
  oomKills?: number;
  pids?: number;
  /** pids.max (undefined: "max", no limit). */
  pidsLimit?: number;
  /** fork()s refused at pids.max (pids.events max). */
  pidsRefused?: number;
}

/** A container's cgroup directories: the one holding each controller's files. */
export interface UsageDirs {
  version: 'v1' | 'v2';
  dirFor(controller: string): string | undefined;
}

export function readUsage(dirs: UsageDirs): Usage {
  const file = (controller: string, name: string) => {
    const dir = dirs.dirFor(controller);
    return dir === undefined ? undefined : read(join(dir, name));
  };
  if (dirs.version === 'v1') {
    const usageNs = num(file('cpuacct', 'cpuacct.usage'));
    return {
      cpuUsec: usageNs === undefined ? undefined : Math.round(usageNs / 1000),
      cpuUserUsec: ticks(field(file('cpuacct', 'cpuacct.stat'), 'user')),
      cpuSystemUsec: ticks(field(file('cpuacct', 'cpuacct.stat'), 'system')),
      ...cfs(file('cpu', 'cpu.stat'), 'throttled_time', 1000),
      memoryBytes: num(file('memory', 'memory.usage_in_bytes')),
      memoryLimit: num(file('memory', 'memory.limit_in_bytes')),
      memoryMaxBytes: num(file('memory', 'memory.max_usage_in_bytes')),
      memoryFailcnt: num(file('memory', 'memory.failcnt')),
      oomKills: field(file('memory', 'memory.oom_control'), 'oom_kill'),
      pids: num(file('pids', 'pids.current')),
      pidsLimit: num(file('pids', 'pids.max')),
      pidsRefused: field(file('pids', 'pids.events'), 'max'),
    };
  }
  return {
    cpuUsec: field(file('cpu', 'cpu.stat'), 'usage_usec'),
    cpuUserUsec: field(file('cpu', 'cpu.stat'), 'user_usec'),
    cpuSystemUsec: field(file('cpu', 'cpu.stat'), 'system_usec'),
    ...cfs(file('cpu', 'cpu.stat'), 'throttled_usec', 1),
    memoryBytes: num(file('memory', 'memory.current')),
    memoryLimit: num(file('memory', 'memory.max')),
    memoryMaxBytes: num(file('memory', 'memory.peak')),
    memoryFailcnt: field(file('memory', 'memory.events'), 'max'),
    oomKills: field(file('memory', 'memory.events'), 'oom_kill'),
    pids: num(file('pids', 'pids.current')),
    pidsLimit: num(file('pids', 'pids.max')),
    pidsRefused: field(file('pids', 'pids.events'), 'max'),
  };
}

/**
 * The cgroups a process is in, as the host sees /proc/<pid>/cgroup
 * ("4:memory:/kit/<id>" on v1, "0::/kit/<id>" on v2): the v2 one when the
 * process has one of its own there, else its v1 ones.
 */
export function cgroupsOfPid(pid: number): UsageDirs | undefined {
  const lines = read(`/proc/${pid}/cgroup`)?.trim().split('\n') ?? [];
  const entries = lines.map((l) => {
    const [, controllers, path] = /^\d+:([^:]*):(.*)$/.exec(l) ?? [];
    return { controllers: controllers ?? '', path: path ?? '/' };
  });
  const unified = entries.find((e) => e.controllers === '');
  const v2Root = detectHost().v2Root;
  if (unified && unified.path !== '/' && v2Root) return { version: 'v2', dirFor: () => join(v2Root, unified.path) };
  if (entries.length === 0) return undefined;
  return {
    version: 'v1',
    dirFor: (controller) => {
      const entry = entries.find((e) => e.controllers.split(',').includes(controller));
      return entry && join(CGROUP_ROOT, entry.controllers, entry.path);
    },
  };
}

/** The CFS bandwidth counters of a cpu.stat; `per` converts its throttled time to microseconds. */
function cfs(stat: string | undefined, throttledKey: string, per: number): Pick<Usage, 'throttledUsec' | 'periods' | 'throttledPeriods'> {
  const throttled = field(stat, throttledKey);
  return {
    throttledUsec: throttled === undefined ? undefined : Math.round(throttled / per),
    periods: field(stat, 'nr_periods'),
    throttledPeriods: field(stat, 'nr_throttled'),
  };
}

/** v1's cpuacct.stat counts USER_HZ ticks: 100 a second on every Linux architecture kit builds for. */
function ticks(n: number | undefined): number | undefined {
  return n === undefined ? undefined : n * 10_000;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function num(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : undefined;
}

/** A `key value` line of a flat-keyed file (cpu.stat, memory.events, pids.events). */
function field(text: string | undefined, key: string): number | undefined {
  const line = text?.split('\n').find((l) => l.startsWith(`${key} `));
  return line === undefined ? undefined : num(line.slice(key.length + 1));
}
