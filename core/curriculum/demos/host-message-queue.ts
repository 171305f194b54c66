import type { PlanPart } from '../../plan';
import { randomHex } from '../../host/random-hex';

/** Keys kit uses start with 0x4b ('K'), so `ipcs -q` shows whose they are. */
const KIT_KEY_BASE = 0x4b000000;

/**
 * A System V message queue made on the host before the container starts
 * (what `ipcmk -Q` does), journaled so it is removed when the container
 * ends, even after a crash. The ipc chapter then shows it is invisible
 * from inside a new IPC namespace.
 */
export function hostMessageQueueDemo(): PlanPart {
  return {
    prepare: [
      {
        why: 'make a message queue on the host (like `ipcmk -Q`), to look for it from inside',
        run: (ctx) => {
          const key = KIT_KEY_BASE + parseInt(randomHex(3), 16);
          ctx.changes.make({ op: 'msgrm', key }, () => ctx.trace.check(undefined, (n) => n.msgCreate(key, 0o600)));
        },
      },
    ],
  };
}
