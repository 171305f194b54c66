import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerCgroups } from '../cgroups/container';
import { SIG } from '../linux';
import type { ContainerSpec } from '../spec';
import type { TraceRecorder } from '../trace/recorder';

/**
 * A container without a PID namespace of its own (--pid host, or
 * container:NAME) does not end with its first process: what that process
 * started lives on, holding the container's stdout and stderr open. As runc
 * does for such a container, whatever is left in its cgroup is killed once
 * the first process has exited, so the container ends as a whole.
 */
export function endWhatIsLeft(trace: TraceRecorder, spec: ContainerSpec, id: string): void {
  const dir = containerCgroups(spec, id)?.dirs[0]?.path;
  if (!dir) return;
  let procs: number[];
  try {
    procs = readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return; // its cgroup is gone already
  }
  for (const pid of procs) {
    trace.host("its first process has exited and it has no PID namespace whose end would take the rest: SIGKILL what is left in its cgroup, as runc does", (n) => n.kill(pid, SIG.KILL));
  }
}
