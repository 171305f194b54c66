import { KitError } from '../errors';

/**
 * Ctrl-C or SIGTERM during a long import or export: instead of dying with
 * half a layer on disk, kit stops at the next tar entry and the normal error
 * path removes what was written (scratch dirs, the half layer, the partial
 * output file).
 */
let received: NodeJS.Signals | undefined;
const handler = (signal: NodeJS.Signals) => {
  received = signal;
};

export async function interruptible<T>(work: () => Promise<T>): Promise<T> {
  received = undefined;
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  try {
    return await work();
  } finally {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  }
}

/** Called between entries: throws once a signal arrived. */
export function stopIfInterrupted(): void {
  if (received) throw new KitError(`interrupted by ${received}: nothing was stored and the partial files were removed`, undefined, received === 'SIGINT' ? 130 : 143);
}
