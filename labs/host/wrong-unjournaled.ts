import { writeFileSync } from 'node:fs';
import type { PlanPart } from 'kit';

/** Wrong on purpose: the file is written behind the journal's back, so nothing removes it. */
export default function lab(given: { marker: string }): PlanPart {
  return { prepare: [{ why: 'write the marker', run: () => writeFileSync(given.marker, 'hello from a host step') }] };
}
