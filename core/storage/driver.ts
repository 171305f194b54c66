import type { HostContext } from '../plan';

/**
 * A storage driver turns an image's read-only layers plus one writable
 * container layer into the directory a container uses as its root: overlay2
 * stacks them with a union mount, aufs likewise where the kernel has it,
 * vfs copies them. Every host change a driver makes goes through
 * ctx.changes (the journal), so it is undone when the container ends.
 */
export interface StorageDriver {
  name: string;
  /** Why this driver cannot be used here, or undefined when it can. */
  unsupported(): string | undefined;
  /**
   * Make the container's root filesystem. `layers` are layer directories,
   * bottom first; `dir` is the container's own directory for the driver's
   * files. Returns the path of the root filesystem.
   */
  createRootfs(ctx: HostContext, layers: string[], dir: string): string;
}
