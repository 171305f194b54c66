import type { PlanPart } from 'kit';

/**
 * Lab chroot: run the container with given.rootfs (a copy of the base
 * image's files) as its "/". Container steps: { op, fields, why } with ops
 * 'chdir' [path] and 'chroot' [path].
 */
export default function lab(given: { rootfs: string }): PlanPart {
  void given;
  return {
    container: [
      // TODO: make given.rootfs the process's "/", and leave it standing inside it
    ],
  };
}
