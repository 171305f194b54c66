import { readFileSync } from 'node:fs';

/** One mount, as a line of /proc/self/mountinfo (the table findmnt reads) describes it. */
export interface Mount {
  mountPoint: string;
  fstype: string;
  source: string;
  /** The line as the kernel wrote it. */
  line: string;
}

export function mountTable(): Mount[] {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean).map(parseMount);
}

/** The mount on `mountPoint` (the first listed, when several are stacked there). */
export function mountAt(mountPoint: string): Mount | undefined {
  return mountTable().find((m) => m.mountPoint === mountPoint);
}

function parseMount(line: string): Mount {
  // Optional fields end at " - ": fstype and source come after it.
  const [left, right] = line.split(' - ');
  const [fstype, source] = right.split(' ');
  return { mountPoint: unescapeField(left.split(' ')[4]), fstype, source, line };
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}
