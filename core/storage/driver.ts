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
  name: 'overlay2' | 'aufs' | 'btrfs' | 'zfs' | 'devicemapper' | 'vfs';
  /** Why this driver cannot be used here (kernel, backing filesystem), or undefined when it can. */
  unsupported(paths?: KitPaths): string | undefined;
  /** Why Docker would not pick it by itself although it works here (btrfs off a btrfs data dir), or undefined. */
  notChosen?(paths: KitPaths): string | undefined;
  /**
   * Make the container's root filesystem. `layers` are layer directories,
   * bottom first; `dir` is the container's own directory for the driver's
   * files. Returns the path of the root filesystem. `keep`: the container
   * layer outlives the run (kit run -d, --name), else it goes when it ends.
   */
  createRootfs(ctx: HostContext, layers: string[], dir: string, keep?: boolean): string;
  /** The container layer: what the container changed, in overlay form (overlay2, aufs), or undefined (vfs: a full copy). */
  upperDir(dir: string): string | undefined;
  /** The root filesystem's path inside `dir`, mounted or not. */
  rootfsDir(dir: string): string;
  /** For a container layer kept outside `dir` (a btrfs snapshot, a devicemapper thin device): delete it with the container. */
  removeContainer?(paths: KitPaths, dir: string): void;
  /** Make rootfsDir(dir) readable while the container does not run (devicemapper mounts its device); returns the undo. */
  openRootfs?(paths: KitPaths, dir: string): () => void;
}
