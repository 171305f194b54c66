import { setTimeout as sleep } from 'node:timers/promises';
import { KitError } from '../errors';
import type { KitPaths } from '../paths';
import { findAnyContainer, lookupAnyContainer } from './names';

/**
 * `kit wait`, as `docker wait`: block until the container is not running,
 * then its exit code. A --rm container takes its exit code with it when it
 * is removed: that is an error here (Docker's daemon could still tell).
 */
export async function waitContainer(paths: KitPaths, ref: string, pollMs = 100): Promise<number> {
  const { id, name } = findAnyContainer(paths, ref);
  for (;;) {
    const now = lookupAnyContainer(paths, id);
    if (!now) throw new KitError(`container ${name} was removed when it ended (--rm): its exit code went with it`, 'run it without --rm to keep it');
    const exit = now.running ? undefined : now.record?.exit;
    if (exit) return exit.exitCode;
    await sleep(pollMs);
  }
}
