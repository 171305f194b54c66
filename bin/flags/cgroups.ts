import { Flags } from '@oclif/core';
import { cgroupHost, KitError, parseBytes, parseNumber, type Resources } from '../../core';

/**
 * `docker run`'s resource flags, for `kit run`. Values are parsed here and
 * range-checked by the engine (core/cgroups/limits.ts) before anything is
 * created; spread `cgroupFlags` into a command's flags and pass the parsed
 * flags to resourcesFromFlags(). A run's `notes` (an OOM kill, refused
 * forks) are what the limits did: print them, one `kit: ...` line each.
 */
export const cgroupFlags = {
  'cpu-quota': Flags.string({ helpGroup: 'CGROUP', description: 'CPU time per period, microseconds (50000 with the default period = half a CPU)' }),
  'cpu-period': Flags.string({ helpGroup: 'CGROUP', description: 'the CFS period, microseconds (default 100000)' }),
  cpus: Flags.string({ helpGroup: 'CGROUP', description: 'number of CPUs, e.g. 0.5 (= --cpu-quota 50000 --cpu-period 100000)' }),
  'cpu-shares': Flags.string({ helpGroup: 'CGROUP', description: 'relative CPU weight under contention (default 1024)' }),
  memory: Flags.string({ char: 'm', helpGroup: 'CGROUP', description: 'memory limit, e.g. 64m (past it: reclaim, then the OOM killer)' }),
  'memory-swap': Flags.string({ helpGroup: 'CGROUP', description: 'memory plus swap, e.g. 128m; -1 = unlimited swap' }),
  'memory-reservation': Flags.string({ helpGroup: 'CGROUP', description: 'a soft memory limit, e.g. 32m: when the host runs short, reclaim pushes the container back under it (v1 memory.soft_limit_in_bytes, v2 memory.low)' }),
  'oom-kill-disable': Flags.boolean({ helpGroup: 'CGROUP', description: "past --memory, the OOM killer leaves the container's processes alone: they wait for memory instead (cgroup v1 memory.oom_control; v2 has no such switch)" }),
  'pids-limit': Flags.string({ helpGroup: 'CGROUP', description: 'most processes at once (fork fails past it)' }),
  'cpuset-cpus': Flags.string({ helpGroup: 'CGROUP', description: 'CPUs it may run on, e.g. 0 or 0-1' }),
  'cgroup-driver': Flags.string({ helpGroup: 'CGROUP', options: ['v1', 'v2'], description: 'use this cgroup hierarchy instead of the detected one' }),
};

type CgroupFlagValues = { [K in Exclude<keyof typeof cgroupFlags, 'oom-kill-disable'>]?: string } & { 'oom-kill-disable'?: boolean };

/** The parsed flags as spec.resources: every container gets cgroups of its own, as with Docker. */
/**
 * Without root there are no cgroups of kit's own to make (no delegated
 * cgroup): a container without limits gets none, and asking for a limit is
 * one line saying why, not EACCES from mkdir.
 */
export function rootlessResources(resources: Resources): Resources | undefined {
  if (process.getuid?.() === 0) return resources;
  const asked = Object.entries(resources).filter(([k, v]) => k !== 'driver' && v !== undefined);
  if (asked.length) throw new KitError(`cgroup limits (${asked.map(([k]) => k).join(', ')}) need write access to the host's cgroups, which only root has here`, 'sudo runs it');
  return undefined;
}

export function resourcesFromFlags(flags: CgroupFlagValues): Resources {
  const int = (flag: 'cpu-quota' | 'cpu-period' | 'cpu-shares' | 'pids-limit') => (flags[flag] === undefined ? undefined : parseNumber(`--${flag}`, flags[flag]!, true));
  const swap = flags['memory-swap'];
  return {
    cpuQuota: int('cpu-quota'),
    cpuPeriod: int('cpu-period'),
    cpus: flags.cpus === undefined ? undefined : parseNumber('--cpus', flags.cpus, false),
    cpuShares: int('cpu-shares'),
    memory: flags.memory === undefined ? undefined : parseBytes('--memory', flags.memory),
    memorySwap: swap === undefined ? undefined : swap.trim() === '-1' ? -1 : parseBytes('--memory-swap', swap),
    memoryReservation: flags['memory-reservation'] === undefined ? undefined : parseBytes('--memory-reservation', flags['memory-reservation']),
    oomKillDisable: flags['oom-kill-disable'] || undefined,
    pidsLimit: int('pids-limit'),
    cpusetCpus: flags['cpuset-cpus'],
    driver: flags['cgroup-driver'] as Resources['driver'],
  };
}

/**
 * cgroup v2 has no OOM-killer switch: like Docker, kit runs the container
 * without it and says so on stderr, rather than pretend.
 */
export function warnIgnoredLimits(resources: Resources | undefined): void {
  if (!resources?.oomKillDisable) return;
  const v2 = resources.driver === 'v2' || (resources.driver === undefined && cgroupHost().layout === 'v2');
  if (v2) process.stderr.write('kit: warning: --oom-kill-disable is ignored: cgroup v2 has no switch to keep the OOM killer away (as Docker, the container runs without it)\n');
}
