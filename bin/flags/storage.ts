import { Flags } from '@oclif/core';
import { DRIVER_NAMES } from '../../core';

/**
 * --storage-driver, for the commands that make a container's root
 * (run, build, chapter). Not restricted by oclif's `options`, so a bad name
 * gets kit's one-line error naming the drivers (from chooseDriver).
 */
export const storageFlags = {
  'storage-driver': Flags.string({
    description: `how to make the container's root from the image layers: ${DRIVER_NAMES.join(', ')} (default: the first that works here, in Docker's order; also KIT_STORAGE_DRIVER)`,
    helpGroup: 'STORAGE',
  }),
};

/** docker run --read-only: for kit run only (build and chapter steps write to their root). */
export const readOnlyFlag = {
  'read-only': Flags.boolean({
    default: false,
    description: "mount the container's root filesystem read-only; -v and --tmpfs mounts stay writable (docker run --read-only)",
    helpGroup: 'STORAGE',
  }),
};

/** The spec field the flag sets. */
export function storageSpec(flags: { 'storage-driver'?: string }): { storageDriver?: string } {
  return flags['storage-driver'] ? { storageDriver: flags['storage-driver'] } : {};
}
