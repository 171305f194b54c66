import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanPart } from '../../plan';
import { randomHex } from '../../host/random-hex';

/**
 * A directory on the host that the container works in: made in /tmp
 * (world-writable with the sticky bit, as /tmp is, so whichever host uid
 * the container's root turns out to be can write there), journaled so it
 * goes with the container, and made the container's working directory. The
 * user chapter's command writes a file into it, which the host then lists
 * with its real owner. The name is chosen once per kit process.
 */
export function sharedDirectoryDemo(): PlanPart {
  const dir = join('/tmp', `kit-user-${randomHex(4)}`);
  return {
    prepare: [
      {
        why: 'a directory on the host for the container to write into (world-writable with the sticky bit, like /tmp)',
        run: (ctx) =>
          ctx.changes.make({ op: 'remove', path: dir }, () => {
            ctx.trace.check(undefined, (n) => n.mkdir(dir, 0o1777));
            chmodSync(dir, 0o1777); // mkdir's mode went through the umask
          }),
      },
    ],
    container: [{ op: 'chdir', path: dir, why: 'work in the directory the host made, so the host can look at what is written there' }],
  };
}
