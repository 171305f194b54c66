import { KitError } from '../errors';
import type { StorageDriver } from './driver';
import { vfs } from './vfs';

/** The drivers kit knows, in order of preference. */
const DRIVERS: StorageDriver[] = [vfs];

/**
 * The storage driver for a container: the one named in KIT_STORAGE_DRIVER,
 * or the first one this machine supports.
 */
export function selectDriver(env: NodeJS.ProcessEnv = process.env): StorageDriver {
  const wanted = env.KIT_STORAGE_DRIVER;
  if (wanted) {
    const driver = DRIVERS.find((d) => d.name === wanted);
    if (!driver) throw new KitError(`unknown storage driver '${wanted}' (KIT_STORAGE_DRIVER)`, `known drivers: ${DRIVERS.map((d) => d.name).join(', ')}`);
    const why = driver.unsupported();
    if (why) throw new KitError(`storage driver '${wanted}' cannot be used here: ${why}`, 'unset KIT_STORAGE_DRIVER to let kit choose');
    return driver;
  }
  const usable = DRIVERS.find((d) => !d.unsupported());
  if (!usable) throw new KitError('no storage driver works on this machine', DRIVERS.map((d) => `${d.name}: ${d.unsupported()}`).join('; '));
  return usable;
}
