import { KitError } from '../errors';
import type { KitPaths } from '../paths';
import { aufs } from './aufs';
import { devicemapper } from './devicemapper';
import { btrfs } from './btrfs';
import type { StorageDriver } from './driver';
import { overlay2 } from './overlay2';
import { vfs } from './vfs';
import { zfs } from './zfs';

/**
 * kit's drivers in the order it tries them when none is asked for: Docker's
 * own priority (moby's graphdriver list: btrfs and zfs first, but only where
 * the data dir already lives on that filesystem; then overlay2 before aufs,
 * devicemapper, and vfs last as the one that works everywhere). One table: a new driver is
 * one line here.
 */
export const DRIVERS: StorageDriver[] = [btrfs, zfs, overlay2, aufs, devicemapper, vfs];
export const DRIVER_NAMES = DRIVERS.map((d) => d.name);

export interface DriverChoice {
  driver: StorageDriver;
  /** Why this one: what `kit info` prints next to the name. */
  reason: string;
}

/**
 * The driver to use: the one asked for (flag, then KIT_STORAGE_DRIVER),
 * which must work here; otherwise the first in priority order that does.
 */
export function chooseDriver(paths: KitPaths, requested = process.env.KIT_STORAGE_DRIVER): DriverChoice {
  if (requested) {
    const driver = driverNamed(requested);
    const problem = driver.unsupported(paths);
    if (problem) throw new KitError(`storage driver '${requested}' cannot be used here: ${problem}`, `use ${others(driver)} or leave the choice to kit`);
    return { driver, reason: 'asked for (--storage-driver or KIT_STORAGE_DRIVER)' };
  }
  const skipped: string[] = [];
  for (const driver of DRIVERS) {
    const problem = driver.unsupported(paths) ?? driver.notChosen?.(paths);
    if (!problem) return { driver, reason: skipped.length ? `first that works here in Docker's order; ${skipped.join('; ')}` : "first in Docker's order, and it works here" };
    skipped.push(`${driver.name}: ${problem}`);
  }
  throw new KitError('no storage driver works here', skipped.join('; '));
}

/**
 * The driver asked for if it works here; otherwise what Docker does when its
 * configured driver is missing from the kernel: the next in priority order.
 */
export function driverOrFallback(paths: KitPaths, requested: StorageDriver['name']): DriverChoice {
  const problem = driverNamed(requested).unsupported(paths);
  if (!problem) return { driver: driverNamed(requested), reason: 'asked for, and it works here' };
  const fallback = chooseDriver(paths, '');
  return { driver: fallback.driver, reason: `${requested} cannot be used here (${problem}): falling back to ${fallback.driver.name}, the next in Docker's order that works` };
}

export function driverNamed(name: string): StorageDriver {
  const driver = DRIVERS.find((d) => d.name === name);
  if (!driver) throw new KitError(`unknown storage driver '${name}'`, `use one of ${DRIVER_NAMES.join(', ')}`);
  return driver;
}

function others(driver: StorageDriver): string {
  return DRIVER_NAMES.filter((n) => n !== driver.name).join(' or ');
}
