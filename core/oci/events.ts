import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { containerCgroups, usageDirs } from '../cgroups/container';
import { readUsage, type Usage, type UsageDirs } from '../cgroups/usage';
import { KitError } from '../errors';
import type { KitPaths } from '../paths';
import { findContainer, statusOf } from './state';

/** One line of `kit-runtime events`, as runc prints it. */
export interface OciEvent {
  type: 'stats' | 'oom';
  id: string;
  data?: OciStats;
}

/**
 * runc's stats object (libcontainer's types.Stats), the part kit reads from
 * the container's cgroup files: cpu in nanoseconds, memory in bytes, pids.
 * A counter the host lacks is left out (runc's omitempty).
 */
export interface OciStats {
  cpu: { usage: { total?: number; kernel?: number; user?: number }; throttling: { periods?: number; throttledPeriods?: number; throttledTime?: number } };
  memory: { usage: { limit?: number; usage?: number; max?: number; failcnt: number } };
  pids: { current?: number; limit?: number };
}

/** How often the OOM counters are read between two stats lines (runc is woken by the kernel: kit polls). */
const OOM_POLL_MS = 100;

export interface EventOptions {
  /** --stats: one stats line, then exit. */
  stats: boolean;
  /** --interval: time between stats lines. */
  intervalMs: number;
}

/**
 * `kit-runtime events ID`: a stats line every interval and an oom line
 * each time the container's memory cgroup hits its limit with nothing to
 * reclaim, until the container stops (as runc's). With --stats, one stats
 * line. Everything comes from the cgroup files `kit stats` reads.
 */
export async function watchEvents(paths: KitPaths, id: string, options: EventOptions, emit: (event: OciEvent) => void): Promise<void> {
  const container = findContainer(paths, id);
  if (statusOf(paths, container) === 'stopped') throw new KitError(`container "${id}" is stopped`, 'events needs a container that is created, running or paused');
  const cgroups = containerCgroups(container.spec, id);
  if (!cgroups) throw new KitError(`container "${id}" has no cgroups of its own to report on`, 'give its config.json a linux.resources or linux.cgroupsPath');
  const dirs = usageDirs(cgroups);
  const stats = (): OciEvent => ({ type: 'stats', id, data: ociStats(readUsage(dirs)) });
  if (options.stats) return void emit(stats());
  const oomCount = oomCounter(dirs);
  let ooms = oomCount();
  let next = Date.now() + options.intervalMs;
  while (statusOf(paths, container) !== 'stopped') {
    await sleep(Math.min(OOM_POLL_MS, Math.max(0, next - Date.now())));
    const now = oomCount();
    for (; ooms < now; ooms++) emit({ type: 'oom', id });
    if (Date.now() >= next) {
      emit(stats());
      next += options.intervalMs;
    }
  }
}

export function ociStats(u: Usage): OciStats {
  const ns = (usec: number | undefined) => (usec === undefined ? undefined : usec * 1000);
  return {
    cpu: {
      usage: { total: ns(u.cpuUsec), kernel: ns(u.cpuSystemUsec), user: ns(u.cpuUserUsec) },
      throttling: { periods: u.periods, throttledPeriods: u.throttledPeriods, throttledTime: ns(u.throttledUsec) },
    },
    memory: { usage: { limit: u.memoryLimit, usage: u.memoryBytes, max: u.memoryMaxBytes, failcnt: u.memoryFailcnt ?? 0 } },
    pids: { current: u.pids, limit: u.pidsLimit },
  };
}

/**
 * Counts the times the memory cgroup ran out: v2's memory.events "oom"
 * (what runc watches there); v1's memory.oom_control counts only kills
 * (oom_kill), and with the OOM killer off says under_oom 1 while the group
 * waits for memory: each time it turns 1 is one more.
 */
function oomCounter(dirs: UsageDirs): () => number {
  const dir = dirs.dirFor('memory');
  let waits = 0;
  let waiting = false;
  return () => {
    if (!dir) return 0;
    if (dirs.version === 'v2') return field(read(join(dir, 'memory.events')), 'oom');
    const control = read(join(dir, 'memory.oom_control'));
    const under = field(control, 'under_oom') === 1;
    if (under && !waiting) waits++;
    waiting = under;
    return field(control, 'oom_kill') + waits;
  };
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function field(text: string, key: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${key} `));
  return line === undefined ? 0 : Number(line.slice(key.length + 1)) || 0;
}
