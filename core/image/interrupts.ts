import { Interrupts } from '../host/interrupts';

/**
 * Ctrl-C or SIGTERM during a long import or export: instead of dying with
 * half a layer on disk, kit aborts the read in progress at once (a blocked
 * read is not waited for) and the normal error path removes what was written
 * (scratch dirs, the half layer, the partial output file).
 */
let current: { interrupts: Interrupts; abort: AbortController } | undefined;

export async function interruptible<T>(work: () => Promise<T>): Promise<T> {
  const interrupts = new Interrupts('nothing was stored and the partial files were removed');
  const abort = new AbortController();
  interrupts.onInterrupt(() => abort.abort());
  current = { interrupts, abort };
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

/** Aborted when a signal arrives: streams given it stop reading at once. */
export function interruptSignal(): AbortSignal | undefined {
  return current?.abort.signal;
}
