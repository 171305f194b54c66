import { type Chapter, claimData } from '../core';

const chapter: Chapter = {
  id: 'cgroup',
  order: 80,
  title: 'Control groups: limit what a container may use',
  turnsOn: ['cgroup (cpu quota)'],
  summary: 'docker run --cpu-quota=50000: a directory per container, one file write, a busy loop held to 50%',
  story: `Namespaces change what a process can see; they do nothing about how much CPU or
memory it uses. One container spinning in a loop would starve every other one.
Control groups (cgroups) fix that: a cgroup is a set of processes the kernel
accounts for and limits together. Their interface is a filesystem: make a
directory and the kernel fills it with files, write a number into a file and the
limit holds, write a pid into cgroup.procs (or tasks) and that process is in.
That is all \`docker run --cpu-quota=50000\` does: Docker makes a folder named after
the container and writes 50 ms of CPU time per 100 ms period, half a CPU, into it.
There are two versions, and which one a host has decides the file. cgroup v2,
what current distributions boot with, has a single tree where one directory holds
every controller's files: "50000 100000" goes into its cpu.max, and a controller
works in a directory only if its parent lists it in cgroup.subtree_control.
cgroup v1 mounts one hierarchy per controller (cpu, memory, pids ...), each with
its own tree: 50000 goes into cpu/docker/<id>/cpu.cfs_quota_us. The host probe
below says which one this host has; kit creates kit/<id>/ there, and runs a busy
loop twice: with --cpu-quota=50000, then without.`,
  spec: {
    namespaces: ['pid', 'mount'],
    command: ['sh', '-c', 'while :; do :; done'],
    resources: { cpuQuota: 50000 },
  },
  probes: { before: ['cgroup-hierarchy'], during: ['cgroup-dir'], running: ['cpu-usage'], after: ['kit-cgroups'] },
  compareWith: { label: 'without --cpu-quota', spec: { resources: {} } },
  takeaway: `The limit is a few mkdir and write calls in the trace: write(".../cpu.cfs_quota_us",
"50000") on v1, write(".../cpu.max", "50000 100000") on v2. The container joined
its cgroup before its command ran: on v1 kit-init's first steps write "0" (itself)
into each hierarchy's tasks file, on v2 the host writes its pid into cgroup.procs
while it waits. The kernel's own counter then shows the loop getting about half a
CPU with the quota and about a whole one without (less on a busy host: the
schedstat line says how long it waited for a CPU). When the container ended,
kit killed what was left in the cgroup and removed the directories.`,
  claims: [
    {
      says: (r) => { const w = claimData.cgroupWrite(r, CPU_LIMIT); return w ? `the limit is one write: "${w.value}" into ${w.file} (cgroup ${w.version})` : 'the limit is one write: 50000 into cpu.cfs_quota_us (v1) or "50000 100000" into cpu.max (v2)'; },
      holds: (r) => { const w = claimData.cgroupWrite(r, CPU_LIMIT); return !!w && (w.version === 'v1' ? w.value === '50000' : w.value.startsWith('50000 ')); },
    },
    { says: 'with the quota the loop got at most about half a CPU', holds: (r) => percent(claimData.probe(r, 'running', 'cpu-usage')?.title) <= 55 },
    { says: 'the container joined its cgroup (a write to tasks or cgroup.procs) before its command ran', holds: (r) => { const join = r.trace.findIndex((e) => /\/(cgroup\.procs|tasks)"$/.test(e.args[0] ?? '') && e.syscall === 'write'); const exec = r.trace.findIndex((e) => e.syscall === 'execve' && e.side === 'container' && e.step !== null); return join >= 0 && exec > join; } },
  ],
  tryNext: [
    "sudo kit chapter cgroup -- sh -c 'while :; do :; done & while :; do :; done'   # two loops share one quota",
    'sudo kit run --cpus 0.5 --memory 64m --pids-limit 20 base sh',
    "sudo kit run -d --name busy --cpu-quota 50000 base sh -c 'while :; do :; done'; sudo kit stats   # ~50%, as docker stats shows it",
    'sudo kit run --cgroup-driver v2 base cat /proc/self/cgroup   # the v2 tree, on a hybrid host',
    'sudo kit chapter cgroupns                 # why /proc/self/cgroup says "/" inside',
  ],
  explain: {
    mkdir: `mkdir in a cgroup filesystem creates a cgroup: the kernel fills the new directory with its control files. kit's directories are <hierarchy>/kit/<id>; the kit/ parent is shared by every kit container and removed by the last one out.`,
    write: `Writing a cgroup file sets a limit: cpu.cfs_quota_us (v1) or cpu.max (v2) is the CPU time the group may use per period. Writing a pid into cgroup.procs moves that process (all its threads) into the cgroup; v1's tasks file moves a single thread. Moving another process makes the kernel wait for an RCU grace period (every CPU passing a quiescent state, milliseconds on a busy host); a thread moving itself ("0") does not, so on v1 kit-init, which has one thread, joins by itself before any other step. On v2 a controller's files appear only once the parent enables it in cgroup.subtree_control, and the host writes the waiting child's pid into cgroup.procs (v2 also offers clone3() with CLONE_INTO_CGROUP, so the child is born inside).`,
    rmdir: `A cgroup can be removed only when no process is in it: kit first ends what is left (cgroup.kill on v2, SIGKILL to each pid on v1), then removes the directory, then the shared kit/ parent if no other container uses it.`,
  },
};

/** Where --cpu-quota goes on each cgroup version. */
const CPU_LIMIT = { v1: 'cpu.cfs_quota_us', v2: 'cpu.max' };

/** The share of a CPU in the cpu-usage probe's title (Infinity when it is missing). */
function percent(title?: string): number {
  return Number(/(\d+)% of one CPU/.exec(title ?? '')?.[1] ?? Infinity);
}

export default chapter;
