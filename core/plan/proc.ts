import { MS } from '../linux';
import type { ContainerSpec } from '../spec';
import type { PlanPart } from './plan';

/**
 * `ps` reads /proc, and /proc shows the PID namespace of whoever mounted it.
 * A fresh procfs, mounted from inside the new PID namespace (and the new
 * mount namespace, so the host's /proc is untouched), lists only the
 * container's processes.
 */
export function planProc(spec: ContainerSpec): PlanPart {
  if (!spec.namespaces.includes('pid') || !spec.namespaces.includes('mount')) return {};
  if (spec.image || spec.rootDir) return {}; // the rootfs gets its own /proc (kernel-filesystems.ts)
  return {
    container: [
      {
        op: 'mount',
        source: 'proc', target: '/proc', fstype: 'proc', flags: MS.NOSUID | MS.NODEV | MS.NOEXEC, data: '',
        why: "mount a procfs that shows this PID namespace: ps inside sees only the container's processes",
      },
    ],
  };
}
