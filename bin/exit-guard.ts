import { interruptAll } from '../core';

/** Past this, a kit that could not stop its runs exits anyway (the next kit undoes their journals). */
const GIVE_UP_MS = 10000;

let guarded = false;
let outputGone = false;

/** The reader of kit's output went away (`| head -1`): kit is stopping quietly, as on SIGPIPE. */
export function outputClosed(): boolean {
  return outputGone;
}

/**
 * kit must end promptly and leave nothing behind, whatever happens to it.
 * A thread of Node's pool blocks in waitid while a container runs, and Node
 * cannot exit until it returns: an error that nothing catches would leave
 * kit hanging until the container ends by itself. So:
 * - its stdout or stderr closed (EPIPE: `kit run ... | head -1`): the rest
 *   of the output is dropped, every run is stopped and undone as on Ctrl-C,
 *   and kit exits 141 without a word, as a CLI killed by SIGPIPE does;
 * - any other uncaught error: printed, every run stopped and undone, exit 134.
 */
export function guardExit(): void {
  if (guarded) return;
  guarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', crashed);
  }
  process.on('uncaughtException', crashed);
  process.on('exit', () => {
    if (outputGone) process.exitCode = 128 + 13;
  });
}

function readerGone(): void {
  if (outputGone) return;
  outputGone = true;
  for (const stream of [process.stdout, process.stderr]) stream.write = (() => true) as typeof stream.write;
  interruptAll('SIGPIPE', 'its output was closed');
}

/** A write to a pipe whose reader left (oclif rethrows what it does not swallow). */
const closedPipe = (err: NodeJS.ErrnoException) => err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED';

function crashed(err: NodeJS.ErrnoException): void {
  if (closedPipe(err)) return readerGone();
  if (!outputGone) process.stderr.write(`kit: internal error: ${err.stack ?? err.message}\n`);
  process.exitCode = 128 + 6;
  const runs = interruptAll('SIGABRT', 'internal error (above)');
  // Stopped, each run undoes its host changes and the event loop empties; past this, exit anyway.
  setTimeout(() => process.exit(), runs ? GIVE_UP_MS : 0).unref();
}
