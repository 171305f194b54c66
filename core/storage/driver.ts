import type { HostContext } from '../plan/plan';
import type { KitPaths } from '../paths';

/**
 * A storage driver turns an image's read-only layers plus one writable
 * container layer into the directory a container uses as its root: overlay2
 * stacks them with a union mount, aufs likewise where the kernel has it,
 * vfs copies them.
 * The container layer itself (overlay2's upper dir, vfs's copy) is the
 * container's data, kept in `dir` until the container is removed (see
 * containers.ts), so `kit diff` and `kit commit` work after it exits. Every
 * mount goes through ctx.changes (the journal), so it is undone when the
 * container ends, even after a kill -9.
 */
export interface StorageDriver {
  name: 'overlay2' | 'aufs' | 'vfs';
  /** Why this driver cannot be used here (kernel, backing filesystem), or undefined when it can. */
  unsupported(paths?: KitPaths): string | undefined;
  /**
   * Make the container's root filesystem. `layers` are layer directories,
   * bottom first; `dir` is the container's own directory for the driver's
   * files. Returns the path of the root filesystem.
   */
  createRootfs(ctx: HostContext, layers: string[], dir: string): string;
  /** The container layer: what the container changed, in overlay form (overlay2, aufs), or undefined (vfs: a full copy). */
  upperDir(dir: string): string | undefined;
  /** The root filesystem's path inside `dir`, mounted or not. */
  rootfsDir(dir: string): string;
}
