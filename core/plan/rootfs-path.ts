import type { ContainerStep } from './plan';

/**
 * Where the container's rootfs is on the host is known only once the
 * storage driver has made it (a prepare step): vfs copies into one place,
 * overlay2 mounts at another. Container steps are written with this token
 * in front of their paths, and placeRootfs() puts the real path in before
 * the plan is sent to kit-init.
 */
export const ROOTFS = '<rootfs>';

export function inRootfs(path: string): string {
  return ROOTFS + path;
}

export function placeRootfs(steps: ContainerStep[], rootfs: string): void {
  for (const step of steps) {
    step.fields = step.fields.map((f) => (typeof f === 'string' && f.startsWith(ROOTFS) ? rootfs + f.slice(ROOTFS.length) : f));
  }
}
