import { readFileSync } from 'node:fs';
import { containerCgroups } from '../cgroups/container';
import type { CgroupDir, KnobWrite } from '../cgroups/driver';
import { neededControllers, parseBytes, parseNumber, toLimits, type Limits, type Resources } from '../cgroups/limits';
import { KitError } from '../errors';
import type { KitPaths } from '../paths';
import { parsed, resourcesSchema } from './config';
import { findContainer, statusOf, writeContainer } from './state';
import { ociResources } from './to-spec';
import { traceRecorder } from './trace-file';

/** What `kit-runtime update` changes: only the limits it was given, the rest stay as they are. */
export type ResourceChanges = Omit<Resources, 'path' | 'below' | 'driver' | 'cpus' | 'updatable'>;

/** The most `--resources` JSON read: a LinuxResources object is a few hundred bytes. */
const MAX_RESOURCES_BYTES = 1 << 20;

/**
 * `--resources FILE|-`: an OCI LinuxResources object (what containerd's
 * shim pipes in for `docker update`), checked as config.json's
 * linux.resources is. As runc, devices are not changed by update: the
 * rules a container started with stay (they are in its kernel objects).
 */
export function resourcesFromJson(text: string, name: string): ResourceChanges {
  if (text.length > MAX_RESOURCES_BYTES) throw new KitError(`${name}: more than ${MAX_RESOURCES_BYTES} bytes`, 'give one LinuxResources object');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new KitError(`${name}: not JSON: ${(err as Error).message}`, 'give a LinuxResources object, e.g. {"memory": {"limit": 67108864}}');
  }
  const { devices: _devices, ...resources } = parsed(resourcesSchema, json, name);
  return ociResources(resources);
}

/** Read --resources: a file, or `-` for stdin (fd 0, read whole). */
export function readResources(file: string): ResourceChanges {
  const name = file === '-' ? 'update --resources (stdin)' : `update --resources ${file}`;
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new KitError(`${name}: ${(err as Error).message}`, 'give a readable file, or - for stdin');
  }
  return resourcesFromJson(text, name);
}

/** runc update's flags (memory sizes may carry a unit, as runc's: 64m). */
export function resourcesFromFlags(flags: Record<string, string | undefined>): ResourceChanges {
  const int = (flag: string) => (flags[flag] === undefined ? undefined : parseNumber(`--${flag}`, flags[flag]!, true));
  const bytes = (flag: string) => (flags[flag] === undefined ? undefined : parseBytes(`--${flag}`, flags[flag]!));
  const swap = flags['memory-swap'] === '-1' ? -1 : bytes('memory-swap');
  const changes: ResourceChanges = {
    memory: bytes('memory'),
    memorySwap: swap,
    memoryReservation: bytes('memory-reservation'),
    cpuQuota: int('cpu-quota'),
    cpuPeriod: int('cpu-period'),
    cpuShares: int('cpu-share'),
    cpusetCpus: flags['cpuset-cpus'],
    pidsLimit: int('pids-limit'),
    blkioWeight: int('blkio-weight'),
  };
  return Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as ResourceChanges;
}

/**
 * `kit-runtime update`: new limits for a container that has not stopped,
 * written to its cgroup files as `docker update` asks them (through
 * containerd's shim). The limits it already had and was not given stay;
 * every limit is written again, in the order a fresh cgroup takes them,
 * as runc does. The container's state keeps the new limits, so a later
 * update starts from them.
 */
export function updateContainer(paths: KitPaths, id: string, changes: ResourceChanges): void {
  const container = findContainer(paths, id);
  const status = statusOf(paths, container);
  if (status === 'stopped') throw new KitError(`cannot update container "${id}": it is stopped`, 'update needs a container that is created, running or paused');
  const current = container.spec.resources;
  const cgroups = current && containerCgroups(container.spec, id);
  if (!current || !cgroups) throw new KitError(`container "${id}" has no cgroups of its own to update`, 'give its config.json a linux.resources or linux.cgroupsPath');
  if (!Object.keys(changes).length) return;
  const resources: Resources = { ...current, ...changes };
  const limits = toLimits(resources);
  cgroups.driver.check(limits);
  checkHierarchies(cgroups.dirs, limits, cgroups.driver.version);
  const trace = traceRecorder(paths, id, 'update');
  for (const dir of cgroups.dirs) {
    for (const w of orderForUpdate(cgroups.driver.limitWrites(dir, limits), limits, dir)) trace.check(w.why, (n) => n.writeFile(w.file, w.value));
  }
  writeContainer(paths, { ...container, spec: { ...container.spec, resources } });
}

/** On v1 a limit needs the container in that controller's hierarchy, which it joined at create (or not). */
function checkHierarchies(dirs: CgroupDir[], limits: Limits, version: 'v1' | 'v2'): void {
  if (version === 'v2') return;
  for (const { controller, flag } of neededControllers(limits)) {
    if (!dirs.some((d) => d.controllers.includes(controller))) {
      throw new KitError(`${flag} needs the container in the ${controller} hierarchy, and it was created without one`, `give it a ${controller} limit in config.json when it is created`);
    }
  }
}

/**
 * v1's memory.memsw.limit_in_bytes may never be below memory.limit_in_bytes:
 * raising both, the swap limit must go first (runc's order), lowering
 * both, the memory limit first, as for a fresh cgroup.
 */
function orderForUpdate(writes: KnobWrite[], limits: Limits, dir: CgroupDir): KnobWrite[] {
  const swapAt = writes.findIndex((w) => w.file.endsWith('memory.memsw.limit_in_bytes'));
  const memoryAt = writes.findIndex((w) => w.file.endsWith('memory.limit_in_bytes') && !w.file.endsWith('memsw.limit_in_bytes'));
  if (swapAt < 0 || memoryAt < 0 || limits.memorySwap === undefined) return writes;
  const current = Number(readOr(`${dir.path}/memory.limit_in_bytes`));
  if (limits.memorySwap !== -1 && !(current < limits.memorySwap)) return writes;
  const swap = writes[swapAt];
  const rest = writes.filter((_, i) => i !== swapAt);
  rest.splice(memoryAt, 0, swap);
  return rest;
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}
