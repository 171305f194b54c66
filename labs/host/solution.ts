import { writeFileSync } from 'node:fs';
import type { PlanPart } from 'kit';

export default function lab(given: { marker: string }): PlanPart {
  return {
    prepare: [
      {
        why: 'leave a mark on the host, journaled so kit removes it',
        // Undo first: the journal records how to remove the file before it exists.
        run: (ctx) => ctx.changes.make({ op: 'remove', path: given.marker }, () => writeFileSync(given.marker, 'hello from a host step')),
      },
    ],
  };
}
