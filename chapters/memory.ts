import { type Chapter, claimData } from '../core';

const chapter: Chapter = {
  id: 'memory',
  order: 82,
  title: 'Memory limit: past --memory, the OOM killer',
  turnsOn: ['cgroup (memory limit)'],
  summary: 'docker run --memory 32m: memory.limit_in_bytes / memory.max, and an OOM kill kit reports',
  story: `CPU time can be rationed: a process over its quota just waits for the next period.
Memory cannot: a page in use cannot be handed back later. When a cgroup's
processes reach --memory, the kernel first reclaims what it can (page cache,
swap if allowed); when nothing is left, the kernel's OOM killer picks a process
in that cgroup and kills it with SIGKILL. Only that cgroup: the host and other
containers keep running. Docker reports it as OOMKilled; kit reads the same
counter from the cgroup before removing it (oom_kill in memory.oom_control on
v1, memory.events on v2). The command here, dd with a 128 MiB block size, asks
for a 128 MiB buffer and fills it, in a container limited to 32 MiB of memory
and no swap (--memory-swap 32m: memory plus swap, so none of it is swap).`,
  spec: {
    namespaces: ['pid', 'mount'],
    command: ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=128M', 'count=1'],
    // --memory-swap equal to --memory: no swap to escape to, on hosts that have some.
    resources: { memory: 32 * 1024 * 1024, memorySwap: 32 * 1024 * 1024 },
  },
  probes: { before: [], during: ['memory-cgroup-dir'], after: ['kit-cgroups'] },
  takeaway: `The limit is one write (memory.limit_in_bytes on v1, memory.max on v2). dd was
killed by SIGKILL and printed nothing: a process gets no warning from the OOM
killer. kit's note after the exit line comes from the cgroup's own counters.`,
  claims: [
    {
      says: (r) => { const w = claimData.cgroupWrite(r, MEMORY_LIMIT); return w ? `the limit is one write: ${w.value} bytes into ${w.file} (cgroup ${w.version})` : 'the limit is one write: memory.limit_in_bytes (v1) or memory.max (v2), 33554432 bytes'; },
      holds: (r) => claimData.cgroupWrite(r, MEMORY_LIMIT)?.value === '33554432',
    },
    { says: 'dd was killed by SIGKILL and printed nothing', holds: (r) => r.container.signal === 'SIGKILL' && r.container.stdout === '' },
    { says: "kit's note says the OOM killer struck, from the cgroup's own counters", holds: (r) => r.container.notes.some((n) => /out of memory/.test(n)) },
  ],
  tryNext: [
    'sudo kit chapter memory -- dd if=/dev/zero of=/dev/null bs=16M count=1   # under the limit: it finishes',
    'sudo kit run --memory 64m --memory-swap 64m base sh   # memory-swap counts memory plus swap: equal means no swap',
    'sudo kit chapter pids                    # the other limit a container hits without knowing it',
  ],
  explain: {
    write: `memory.limit_in_bytes (v1) / memory.max (v2) caps the memory the cgroup's processes use, page cache included. --memory-swap is memory plus swap in Docker's terms: v1's memory.memsw.limit_in_bytes means the same, v2's memory.swap.max counts swap alone, so kit writes the difference there.`,
  },
};

/** Where --memory goes on each cgroup version. */
const MEMORY_LIMIT = { v1: 'memory.limit_in_bytes', v2: 'memory.max' };

export default chapter;
