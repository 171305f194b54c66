import { mountTable } from '../host/mountinfo';
import type { Probe } from './probe';

/**
 * The host's mount table, from /proc/self/mountinfo (what findmnt reads):
 * how many mounts, and any whose source is named kit-… (what kit's demo
 * containers mount inside them: kit-demo, kit-www). A mount namespace's
 * point is that this does not change while a container mounts things inside.
 */
export const mounts: Probe = {
  id: 'mounts',
  title: "the host's mount table (/proc/self/mountinfo)",
  run: () => {
    const table = mountTable();
    // `target  source  fstype`, like a findmnt row.
    const demo = table.filter((m) => m.source.startsWith('kit-')).map((m) => `${m.mountPoint}  ${m.source}  ${m.fstype}`);
    const text = [`${table.length} mounts on the host`, demo.length ? demo.join('\n') : "no mount with a kit-… source (what kit's demo containers mount inside)"].join('\n');
    return { text };
  },
};
