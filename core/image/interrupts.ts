import { Interrupts } from '../host/interrupts';

/**
 * Ctrl-C or SIGTERM during a long import or export: instead of dying with
 * half a layer on disk, kit stops at the next chunk or entry it reads (the
 * reads of an archive give the event loop, where the signal is seen, a turn
 * every few megabytes) and the normal error path removes what was written
 * (scratch dirs, the half layer, the partial output file).
 */
let current: { interrupts: Interrupts } | undefined;

export async function interruptible<T>(work: () => Promise<T>): Promise<T> {
  const interrupts = new Interrupts('nothing was stored and the partial files were removed');
  current = { interrupts };
  try {
    return await work();
  } finally {
    interrupts.dispose();
    current = undefined;
  }
}

/** Called between entries: throws once a signal arrived. */
export function stopIfInterrupted(): void {
  current?.interrupts.throwIfInterrupted();
}
