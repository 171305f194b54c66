import type { Lab } from '../lab';
import { BUSY_LOOP, labCgroup, observeNamespaces, ownNamespace, rootfsGiven, rootIsLabRootfs } from '../common';
import { QUOTA_US, describeCpuLimit, measureCpuLimit, provesLimit, type CpuLimitMeasure } from '../cpu-limit';
import { cgroupsOf, inNamespaces, mountsOf, nsPids, readText } from '../observe';

/**
 * The last lab: a mini `docker run --hostname kit-lab --cpu-quota 50000
 * base sh`, assembled from the student's own earlier labs.
 */
const lab: Lab = {
  id: 'final',
  order: 100,
  title: 'A mini `docker run`, from your own pieces',
  chapter: 'rootfs',
  withoutRoot: { needsRoot: "its CPU quota is a write to the host's cgroup tree, which only root may change" },
  command: BUSY_LOOP,
  setup: (id, paths) => {
    const { given, part } = rootfsGiven(id, paths);
    const { dir: cgroup, version } = labCgroup('cpu', id);
    return { given: { ...given, hostname: 'kit-lab', cgroup, version }, part };
  },
  observe: async (pid, given) => {
    const cpu = await measureCpuLimit(String(given.cgroup), String(given.version), QUOTA_US);
    const cgroups = cgroupsOf(pid);
    return {
      ...observeNamespaces(pid, ['uts', 'pid', 'mnt', 'ipc']),
      hostname: inNamespaces(pid, ['-u'], ['hostname'])?.trim(),
      nsPids: nsPids(pid),
      rootIsRootfs: rootIsLabRootfs(pid),
      proc: mountsOf(pid).filter((m) => m.mountPoint === '/proc').at(-1)?.fstype,
      cgroupOfProcess: given.version === 'v1' ? cgroups.cpu : cgroups[''],
      quota: given.version === 'v1' ? readText(`${String(given.cgroup)}/cpu.cfs_quota_us`) : readText(`${String(given.cgroup)}/cpu.max`)?.split(' ')[0],
      cpu,
    };
  },
  hints: [
    "Import your earlier labs (`import uts from '../uts/lab'`, pid, ipc, rootfs, cgroup) and return `joinParts(uts(given), pid(), ipc(), rootfs(given), cgroup(given))`: given holds what each needs.",
    'The order matters: parts run in the order joined. The root switch comes after the hostname; the cgroup steps are host steps and run when kit runs host steps.',
    'A check that fails here fails in the earlier lab too: run `sudo kit lab check <that lab>` for its own hints.',
  ],
  cleanHint: 0,
  checks: [
    ownNamespace('uts', 'CLONE_NEWUTS', 0),
    ownNamespace('pid', 'CLONE_NEWPID', 0),
    ownNamespace('mnt', 'CLONE_NEWNS', 0),
    ownNamespace('ipc', 'CLONE_NEWIPC', 0),
    { name: 'its hostname is kit-lab', pass: (run) => run.seen.hostname === 'kit-lab', diagnose: (run) => `its hostname is ${String(run.seen.hostname)}`, hint: 2 },
    { name: 'its command is PID 1', pass: (run) => (run.seen.nsPids as number[] | undefined)?.at(-1) === 1, hint: 2 },
    { name: 'its "/" is the base image (pivot_root), with /proc mounted', pass: (run) => run.seen.rootIsRootfs === true && run.seen.proc === 'proc', hint: 1 },
    { name: 'it is in given.cgroup, with a CPU quota of 50000', pass: (run) => String(run.given.cgroup).endsWith(String(run.seen.cgroupOfProcess)) && run.seen.cgroupOfProcess !== '/' && run.seen.quota === '50000',
      diagnose: (run) => `it is in ${String(run.seen.cgroupOfProcess)} (cpu), with a quota of ${String(run.seen.quota)}: did you join your cgroup part?`,
      hint: 2,
    },
    {
      name: "its busy loop is held to ~50% of a CPU, by the cgroup's own counters (cpu.stat)",
      pass: (run) => provesLimit(run.seen.cpu as CpuLimitMeasure | undefined),
      diagnose: (run) => describeCpuLimit(run.seen.cpu as CpuLimitMeasure | undefined),
      hint: 2,
    },
  ],
};

export default lab;
