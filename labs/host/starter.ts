import { writeFileSync } from 'node:fs';
import type { PlanPart } from 'kit';

/**
 * Lab host: a plain child process, and kit's journal.
 *
 * kit starts your container: clone() (here with no new namespaces: a plain
 * child), then kit-init execs the command. Your function returns the extra
 * steps kit runs. Host steps get `ctx` (ctx.changes: the journal,
 * ctx.trace: traced calls, ctx.pid: the child once cloned).
 *
 * `given.marker` is a path on the host for you to write.
 */
export default function lab(given: { marker: string }): PlanPart {
  void writeFileSync;
  void given;
  return {
    // TODO: a `prepare` host step that writes "hello from a host step" to
    // given.marker, journaled (ctx.changes.make) so kit removes it afterwards,
    // even if kit is killed.
  };
}
