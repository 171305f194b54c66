import { readFileSync } from 'node:fs';
import type { Probe } from './probe';

/**
 * The host's mount table, from /proc/self/mountinfo (what findmnt reads):
 * how many mounts, and any whose source, target or type names a kit demo.
 * A mount namespace's point is that this does not change while a container
 * mounts things inside.
 */
export const mounts: Probe = {
  id: 'mounts',
  title: "the host's mount table (/proc/self/mountinfo)",
  run: () => {
    const lines = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean);
    const demo = lines.filter((l) => l.includes('kit-demo')).map(describe);
    const text = [`${lines.length} mounts on the host`, demo.length ? demo.join('\n') : 'no mount named kit-demo'].join('\n');
    return { probe: 'mounts', title: "the host's mount table (/proc/self/mountinfo)", text };
  },
};

/** `target  source  fstype`, like a findmnt row. */
function describe(line: string): string {
  const [left, right] = line.split(' - ');
  const [fstype, source] = right.split(' ');
  return `${left.split(' ')[4]}  ${source}  ${fstype}`;
}
