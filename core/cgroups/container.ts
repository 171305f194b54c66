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
