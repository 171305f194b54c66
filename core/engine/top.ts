import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { containerCgroups } from '../cgroups/container';
import type { ContainerState } from './state';

/**
 * The host pids of a container's processes (`kit top`): those in its cgroup
 * (cgroup.procs lists every process, kit exec's included), or, for a
 * container without cgroups of its own, those in its PID namespace.
 */
export function containerPids(state: ContainerState): number[] {
  const cgroups = state.pid === undefined ? undefined : containerCgroups(state.spec, state.id);
  if (cgroups) {
    try {
      return readFileSync(join(cgroups.dirs[0].path, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
    } catch {
      // its cgroup is gone: it is ending
    }
  }
  if (state.pid === undefined) return [];
  const ns = nsOf(state.pid);
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p) && nsOf(Number(p)) === ns).map(Number);
}

function nsOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
}
