import type { ContainerStep } from './plan';

/**
 * The step builders (dev.ts, kernel-filesystems.ts, root-switch.ts) write
 * paths inside the container's root with this token in front; planRootfs()
 * puts in the real path, which depends on the storage driver (vfs copies
 * into rootfs/, overlay2 mounts at merged/).
 */
export const ROOTFS = '<rootfs>';

export function inRootfs(path: string): string {
  return ROOTFS + path;
}

export function placeRootfs(steps: ContainerStep[], rootfs: string): void {
  for (const step of steps) {
    const fields = step as unknown as Record<string, unknown>;
    for (const [name, value] of Object.entries(fields)) {
      if (typeof value === 'string' && value.startsWith(ROOTFS)) fields[name] = rootfs + value.slice(ROOTFS.length);
    }
  }
}
