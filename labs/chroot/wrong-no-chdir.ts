import type { PlanPart } from 'kit';

/** Wrong on purpose: chroot alone leaves the working directory on the host. */
export default function lab(given: { rootfs: string }): PlanPart {
  return { container: [{ op: 'chroot', path: given.rootfs, why: 'a new "/"' }] };
}
