import type { PlanPart } from 'kit';

/**
 * Lab limits: at most 32 MiB of memory and 10 processes, as
 * `docker run --memory 32m --pids-limit 10`. The container runs a fork loop.
 *
 * given.memory, given.pids: the cgroup directories to make (the same one on
 * cgroup v2); given.version: 'v1' or 'v2'.
 */
export default function lab(given: { memory: string; pids: string; version: 'v1' | 'v2' }): PlanPart {
  void given;
  return {
    prepare: [
      // TODO: make the directories (journaled); write the memory limit and pids.max
    ],
    attach: [
      // TODO: move the container's process into them
    ],
  };
}
