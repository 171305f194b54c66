import { existsSync, statSync } from 'node:fs';
import { MS } from '../linux';
import type { ContainerStep } from './plan';

/**
 * What runc hides from every container, with the same lists: files in
 * /proc and /sys that leak host secrets or let root poke the kernel. Masked
 * paths are covered (a file by /dev/null, a directory by an empty read-only
 * tmpfs); read-only paths are bound onto themselves and remounted read-only.
 * Steps run after the root switch, on the container's own /proc and /sys.
 * A path this kernel does not have is skipped (same kernel as the host).
 */
const MASKED: Array<[string, string]> = [
  ['/proc/acpi', 'ACPI tables and controls of the host'],
  ['/proc/asound', 'the host\'s sound cards'],
  ['/proc/kcore', 'the host\'s physical memory, as a core file'],
  ['/proc/keys', 'the kernel keyring of every user on the host'],
  ['/proc/latency_stats', 'kernel latency statistics'],
  ['/proc/timer_list', 'every timer on the host, with the tasks that set them'],
  ['/proc/timer_stats', 'timer statistics of the host'],
  ['/proc/sched_debug', 'the scheduler state of every host task'],
  ['/proc/scsi', 'the host\'s SCSI devices (and a write interface to rescan them)'],
  ['/sys/firmware', 'the host firmware (ACPI, EFI variables)'],
  ['/sys/devices/virtual/powercap', 'power usage of the host (the Platypus side channel)'],
];

const READ_ONLY: Array<[string, string]> = [
  ['/proc/bus', 'PCI and USB buses of the host'],
  ['/proc/fs', 'filesystem driver knobs'],
  ['/proc/irq', 'interrupt routing of the host'],
  ['/proc/sys', 'kernel parameters (sysctl): most are not namespaced, a write would change the host'],
  ['/proc/sysrq-trigger', 'a write here reboots or crashes the host'],
];

/**
 * runc's lists, or a config's own (kit-runtime): a path kit knows says why
 * it is hidden; another one is hidden because the config lists it.
 */
export function maskedPathSteps(lists?: { masked: string[]; readOnly: string[] }): ContainerStep[] {
  const steps: ContainerStep[] = [];
  const named = (paths: string[], known: Array<[string, string]>, field: string): Array<[string, string]> =>
    paths.map((p) => [p, known.find(([k]) => k === p)?.[1] ?? `listed in the config's ${field}`]);
  const masked = lists ? named(lists.masked, [...MASKED, ...READ_ONLY], 'linux.maskedPaths') : MASKED;
  const readOnly = lists ? named(lists.readOnly, [...READ_ONLY, ...MASKED], 'linux.readonlyPaths') : READ_ONLY;
  for (const [path, what] of masked.filter(([p]) => existsSync(p))) {
    const why = `mask ${path}${lists ? '' : ' as runc does'} (${what})`;
    if (statSync(path).isDirectory()) steps.push({ op: 'mount', source: 'tmpfs', target: path, fstype: 'tmpfs', flags: MS.RDONLY, data: '', why: `${why}: an empty read-only tmpfs over it` });
    else steps.push({ op: 'mount', source: '/dev/null', target: path, fstype: '', flags: MS.BIND, data: '', why: `${why}: /dev/null bound over it` });
  }
  for (const [path, what] of readOnly.filter(([p]) => existsSync(p))) {
    steps.push({ op: 'mount', source: path, target: path, fstype: '', flags: MS.BIND | MS.REC, data: '', why: `make ${path} read-only${lists ? '' : ' as runc does'} (${what}): bind it onto itself...` });
    steps.push({ op: 'mount', source: path, target: path, fstype: '', flags: MS.BIND | MS.REC | MS.REMOUNT | MS.RDONLY | MS.NOSUID | MS.NODEV | MS.NOEXEC, data: '', why: '...then remount that bind read-only (keeping nosuid, nodev, noexec)' });
  }
  return steps;
}

/** The paths kit masks and makes read-only (runc's lists), for checking an OCI config's maskedPaths/readonlyPaths against them. */
export const MASKED_PATHS: readonly string[] = MASKED.map(([p]) => p);
export const READ_ONLY_PATHS: readonly string[] = READ_ONLY.map(([p]) => p);

/**
 * The paths maskedPathSteps() will cover (those this kernel has), and
 * whether it binds /dev/null over a file: a -v or --tmpfs at /sys, /dev or
 * above one of them must still hold them (core/plan/mounts.ts checks).
 */
export function maskTargets(lists?: { masked: string[]; readOnly: string[] }): { paths: string[]; devNull: boolean } {
  const masked = (lists?.masked ?? MASKED_PATHS).filter((p) => existsSync(p));
  const readOnly = (lists?.readOnly ?? READ_ONLY_PATHS).filter((p) => existsSync(p));
  return { paths: [...masked, ...readOnly], devNull: masked.some((p) => !statSync(p).isDirectory()) };
}
