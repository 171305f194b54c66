import { mountTable } from '../host/mountinfo';
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
    const table = mountTable();
    // `target  source  fstype`, like a findmnt row.
    const demo = table.filter((m) => m.line.includes('kit-demo')).map((m) => `${m.mountPoint}  ${m.source}  ${m.fstype}`);
    const text = [`${table.length} mounts on the host`, demo.length ? demo.join('\n') : 'no mount named kit-demo'].join('\n');
    return { text };
  },
};
