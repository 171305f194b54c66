import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerCgroups } from '../cgroups/container';
import { KitError } from '../errors';
import type { ContainerSpec } from '../spec';
import type { TraceRecorder } from '../trace/recorder';

/**
 * `kit pause` / `kit unpause`, as Docker does them: the cgroup freezer stops
 * every process of the container at once (they show state D or T on the
 * host, and cannot fork out of it meanwhile), and thaws them. v1 writes
 * FROZEN/THAWED to freezer.state; v2 writes 1/0 to cgroup.freeze.
 */
interface Freezer {
  file: string;
  frozen: string;
  thawed: string;
}

function freezerOf(spec: ContainerSpec, id: string): Freezer | undefined {
  const cgroups = containerCgroups(spec, id);
  if (!cgroups) return undefined;
  if (cgroups.driver.version === 'v2') return { file: join(cgroups.dirs[0].path, 'cgroup.freeze'), frozen: '1', thawed: '0' };
  const dir = cgroups.dirs.find((d) => d.controllers.includes('freezer'));
  return dir && { file: join(dir.path, 'freezer.state'), frozen: 'FROZEN', thawed: 'THAWED' };
}

export function isPaused(spec: ContainerSpec, id: string): boolean {
  try {
    const freezer = freezerOf(spec, id);
    return freezer !== undefined && readFileSync(freezer.file, 'utf8').trim() === freezer.frozen;
  } catch {
    return false;
  }
}

export function setPaused(trace: TraceRecorder, spec: ContainerSpec, id: string, paused: boolean): void {
  const freezer = freezerOf(spec, id);
  if (!freezer) throw new KitError(`container ${id} has no freezer cgroup`, 'only containers started by kit run have cgroups to freeze');
  const why = paused ? 'the cgroup freezer: every process of the container stops where it is' : 'thaw the cgroup: its processes run on';
  trace.check(why, (n) => n.writeFile(freezer.file, paused ? freezer.frozen : freezer.thawed));
}
