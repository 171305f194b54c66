import { MS } from '../linux';
import { hasNamespace, type ContainerSpec } from '../spec';
import type { PlanPart } from './plan';

/**
 * A new mount namespace starts as a copy of the host's, and on most systems
 * "/" is a shared mount: mounts made inside would propagate back to the host.
 * Making everything private first is what keeps the container's mounts its own.
 */
export function planMountPropagation(spec: ContainerSpec): PlanPart {
  if (!hasNamespace(spec, 'mount')) return {};
  return {
    container: [
      {
        op: 'mount',
        source: '', target: '/', fstype: '', flags: MS.REC | MS.PRIVATE, data: '',
        why: "make every mount private, so the container's mounts never propagate to the host",
      },
    ],
  };
}
