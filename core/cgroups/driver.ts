import type { Limits } from './limits';

/**
 * How kit talks to one cgroup hierarchy. Two drivers implement it: v1 (one
 * hierarchy per controller, /sys/fs/cgroup/<controller>/kit/<id>) and v2
 * (one unified tree, /sys/fs/cgroup/kit/<id>). A driver only computes paths
 * and knob values from a filesystem root; the calls go through a CgroupIo,
 * so the same driver runs for real (traced, journaled) or on fixture files.
 */
export interface CgroupDriver {
  readonly version: 'v1' | 'v2';
  /** Where the hierarchy (v2) or the per-controller hierarchies (v1) are mounted. */
  readonly root: string;
  /** Controllers this host offers to kit through this driver. */
  available(): string[];
  /** Throws a KitError naming the flag when this host cannot enforce a limit. */
  check(limits: Limits): void;
  /** The controllers kit uses for these limits: the ones they need and the accounting ones. */
  controllersFor(limits: Limits): string[];
  /**
   * One cgroup directory per hierarchy, in creation order: <root>/kit/<id>,
   * or at `path` below each root (an OCI config's cgroupsPath, e.g. podman's
   * /libpod_parent/libpod-<id>), whose parent must exist or be one level up;
   * a relative `path` is taken below `below`'s cgroup of each hierarchy.
   */
  cgroups(id: string, controllers: string[], path?: string, below?: Record<string, string>): CgroupDir[];
  /** Writes to a fresh container directory that set the limits, in order. */
  limitWrites(dir: CgroupDir, limits: Limits): KnobWrite[];
}

/** A container's directory in one hierarchy, and the shared parent above it. */
export interface CgroupDir {
  path: string;
  /** The directory above it: made if missing (EEXIST is fine), its parentWrites applied. */
  parent: string;
  /**
   * kit's own shared `kit/` parent, removed by the last container out. False
   * for an OCI cgroupsPath: that parent is the caller's (podman's
   * libpod_parent), and kit never removes what it did not create for itself.
   */
  sharedParent: boolean;
  /** The controllers this directory is for (v1: its hierarchy's; v2: the enabled ones). */
  controllers: string[];
  /** Writes the parent needs before a child can use the controllers (v2 subtree_control, v1 cpuset). */
  parentWrites: KnobWrite[];
}

export interface KnobWrite {
  file: string;
  value: string;
  /** The docker flag (or the reason) behind this write, for the trace. */
  why: string;
}

/** The calls creating and removing cgroups is made of: >= 0, or a negative errno like the native addon. */
export interface CgroupIo {
  mkdir(path: string, why?: string): number;
  rmdir(path: string, why?: string): number;
  write(path: string, value: string, why?: string): number;
  read(path: string): string | undefined;
  kill(pid: number): number;
  /** The error to throw for the call that just returned `ret` < 0. */
  error(ret: number): Error;
}
