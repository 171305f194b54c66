import type { PlanPart } from 'kit';

/**
 * Lab cgroup: limit the container to half a CPU, as
 * `docker run --cpu-quota=50000` does. The container runs a busy loop.
 *
 * given.cgroup: the directory to make (under the cpu controller);
 * given.version: 'v1' (write cpu.cfs_quota_us) or 'v2' (write cpu.max).
 * Host steps get ctx: ctx.changes.make (the journal), ctx.trace.check(why,
 * (n) => n.mkdir(path, mode) / n.writeFile(path, text)) (traced calls), and
 * in `attach` steps ctx.pid (the container's first process).
 */
export default function lab(given: { cgroup: string; version: 'v1' | 'v2' }): PlanPart {
  void given;
  return {
    prepare: [
      // TODO: make the cgroup directory (journaled), and write the quota
    ],
    attach: [
      // TODO: move the container's process into the cgroup
    ],
  };
}
