import { chooseDriver, detectHost } from './detect';
import type { CgroupDir, CgroupDriver } from './driver';
import { toLimits, type Limits } from './limits';
import type { UsageDirs } from './usage';
import type { ContainerSpec } from '../spec';

/** A container's cgroups: the driver kit uses for it, its checked limits, its directories. */
export interface ContainerCgroups {
  driver: CgroupDriver;
  limits: Limits;
  dirs: CgroupDir[];
}

/**
 * Where a container's cgroups are, from its spec and id alone: the same
 * answer when `kit run` creates them, when `kit exec` joins them and when
 * `kit stats` reads them. Undefined when the spec asks for none (a chapter
 * without limits). Throws a KitError for limits this host cannot enforce.
 */
export function containerCgroups(spec: ContainerSpec, id: string): ContainerCgroups | undefined {
  if (!shared) return findCgroups(spec, id);
  const key = `${id}\0${JSON.stringify(spec.resources ?? null)}`;
  let bySpec = shared.get(spec);
  if (bySpec === undefined) shared.set(spec, (bySpec = new Map()));
  if (!bySpec.has(key)) bySpec.set(key, findCgroups(spec, id));
  return bySpec.get(key);
}

/** The answers given during sharingCgroups' work, by spec and id. */
let shared: Map<ContainerSpec, Map<string, ContainerCgroups | undefined>> | undefined;

/**
 * Run `work` (one plan build, synchronous) answering containerCgroups once
 * per spec and id: a plan asks several times (the join, the limits, the
 * device rules, the cgroup mount) and each answer reads the host's cgroup
 * layout (statfs, readdir, realpath: ~0.3 ms). Outside, every call reads it
 * afresh, so nothing kept goes stale.
 */
export function sharingCgroups<T>(work: () => T): T {
  if (shared) return work();
  shared = new Map();
  try {
    return work();
  } finally {
    shared = undefined;
  }
}

function findCgroups(spec: ContainerSpec, id: string): ContainerCgroups | undefined {
  if (!spec.resources) return undefined;
  const limits = toLimits(spec.resources);
  const driver = chooseDriver(detectHost(), spec.resources.driver);
  driver.check(limits);
  return { driver, limits, dirs: driver.cgroups(id, driver.controllersFor(limits), spec.resources.path, spec.resources.below) };
}

/** The directory holding a controller's files: v2 has one for all (cpu.stat even with no controller enabled). */
export function usageDirs({ driver, dirs }: ContainerCgroups): UsageDirs {
  return {
    version: driver.version,
    dirFor: (controller) => (driver.version === 'v2' ? dirs[0].path : dirs.find((d) => d.controllers.includes(controller))?.path),
  };
}
