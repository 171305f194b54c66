import { failureOf, KitError, shellStatus, type AttachEnd } from '../../core';

/**
 * How an attached kit (kit attach, kit start -a) ends, as docker's: the
 * detach keys print "read escape sequence" and exit 1; the container's end
 * is kit's exit code; a shim gone without a word is one line.
 */
export function finishAttached(end: AttachEnd, name: string): void {
  if ('detached' in end) {
    process.stderr.write('read escape sequence\n');
    process.exitCode = 1;
  } else if ('exit' in end) {
    // The command never ran (not found, not executable): say why, as the foreground kit run does.
    if (end.exit.failed) throw failureOf(end.exit.failed, end.exit.exitCode ?? 125);
    process.exitCode = shellStatus(end.exit);
  } else if ('failed' in end) {
    throw new KitError(end.failed.message, end.failed.hint ?? undefined, end.failed.exitCode);
  } else {
    throw new KitError(`container ${name}'s shim closed the connection`, '`kit ps -a` shows whether it still runs');
  }
}
