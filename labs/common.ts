import { hostname } from 'node:os';
import { existsSync, writeFileSync } from 'node:fs';
import { BASE_IMAGE, CGROUP_ROOT, cgroupHost, checkCommand, ensureImage, ImageStore, joinParts, KitError, type KitPaths, type PlanPart } from '../core';
import type { Check, LabRun, Setup } from './lab';
import { mountsOf, namespacesDiffer, type MountLine } from './observe';
import { calls, describeClone, failedCall, show } from './trace';

/** Pieces several labs share: the command that waits to be looked at, namespace checks. */

/** A container that does nothing but wait to be looked at: the checker stops it when done. */
export const WAIT = ['/bin/sh', '-c', 'exec sleep 60'];

/** A check that the container has a namespace of its own of `kind` (a /proc/<pid>/ns inode differs from the host's). */
export function ownNamespace(kind: string, flag: string, hint: number): Check {
  return {
    name: `the container has its own ${kind} namespace (/proc/<pid>/ns/${kind} differs from the host's)`,
    pass: (run) => (run.seen.namespaces as Record<string, boolean> | undefined)?.[kind] === true,
    diagnose: (run) => run.error ?? (describeClone(run.trace).includes(flag) ? undefined : `${describeClone(run.trace)}: no ${flag}, so it shares the host's ${kind} namespace`),
    hint,
  };
}

export function observeNamespaces(pid: number, kinds: string[]) {
  return { namespaces: namespacesDiffer(pid, kinds), hostHostname: hostname() };
}

/**
 * How "/" propagates as the container sees it: 'shared' (a peer of the
 * host's: what is mounted under it reaches the host), 'slave' (it receives
 * the host's mounts: the copy a user namespace's mount namespace gets of a
 * shared mount), or 'private' (MS_REC|MS_PRIVATE made it its own).
 */
export function rootPropagation(pid: number): Propagation | undefined {
  return propagationOf(mountsOf(pid).find((m) => m.mountPoint === '/'));
}

export type Propagation = 'shared' | 'slave' | 'private';

/** A mount's propagation, from its optional fields (shared:N, master:N). */
export function propagationOf(mount: MountLine | undefined): Propagation | undefined {
  if (!mount) return undefined;
  return mount.propagation.some((p) => p.startsWith('shared:')) ? 'shared' : mount.propagation.some((p) => p.startsWith('master:')) ? 'slave' : 'private';
}

/** "no mount of proc in the trace" or the failed call, for a check about a mount. */
export function mountDiagnosis(run: LabRun, what: RegExp, missing: string): string | undefined {
  if (run.error) return run.error;
  const failed = failedCall(run.trace, 'mount', what);
  if (failed) return `${show(failed)}${failed.errno === 'EBUSY' ? ': you are still in the host\'s mount namespace: add CLONE_NEWNS' : ''}`;
  if (calls(run.trace, 'mount', what).length === 0) return missing;
  return undefined;
}

/** A journaled scratch dir for a run: made by the lab before the student's steps, removed after. */
export function scratchDir(path: string, why: string): PlanPart {
  return {
    prepare: [{ why, run: (ctx) => void ctx.changes.make({ op: 'remove', path }, () => ctx.trace.check(why, (n) => n.mkdir(path, 0o755))) }],
  };
}

export function labDir(paths: KitPaths, id: string): string {
  return `${paths.state}/kit-lab-${id}`;
}

/** A scratch dir for the run holding a fresh copy of the base image's files (`rootfs`), all journaled. */
export function rootfsSetup(id: string, paths: KitPaths): { dir: string; rootfs: string; part: PlanPart } {
  const dir = labDir(paths, id);
  const rootfs = `${dir}/rootfs`;
  return { dir, rootfs, part: joinParts(scratchDir(dir, 'a scratch dir for this lab'), scratchDir(rootfs, 'the new root'), rootfsCopy(rootfs)) };
}

/** The setup of a lab whose student switches the root: a fresh copy of the base image, handed over as given.rootfs. */
export function rootfsGiven(id: string, paths: KitPaths): Setup {
  const { rootfs, part } = rootfsSetup(id, paths);
  return { given: { rootfs }, part };
}

/** Whether the process's "/" is the lab's copy of the rootfs: its mark file is there. */
export function rootIsLabRootfs(pid: number): boolean {
  return existsSync(`/proc/${pid}/root/${ROOTFS_MARK}`);
}

/** A busy loop: what a CPU limit is measured on. */
export const BUSY_LOOP = ['/bin/sh', '-c', 'while :; do :; done'];

/**
 * A fresh copy of the base image's files at `dir` (under the lab's scratch
 * dir, journaled with it), for labs that change the root: the image itself
 * is never written.
 */
export function rootfsCopy(dir: string): PlanPart {
  return {
    prepare: [
      {
        why: "copy the base image's files: the root your steps switch to",
        run: async (ctx) => {
          const store = new ImageStore(ctx.paths);
          await ensureImage(ctx.paths, BASE_IMAGE, baseBuildSteps);
          for (const layer of store.layerDirs(store.get(BASE_IMAGE))) checkCommand(ctx.trace, undefined, ['cp', '-a', `${layer}/.`, dir]);
          writeFileSync(`${dir}/${ROOTFS_MARK}`, 'the lab rootfs\n');
        },
      },
    ],
  };
}

/** A file only the lab's rootfs copy has: seen at the container's "/", it proves the root switched. */
export const ROOTFS_MARK = '.kit-lab-rootfs';

/**
 * The base image's first build, told on the runner's stderr, which `kit lab
 * check` shows as it comes (core itself prints nothing).
 */
function baseBuildSteps(line: string): void {
  process.stderr.write(`kit: ${line}\n`);
}

/** The layers of the base image, bottom first: read-only lower dirs for an overlay. */
export async function baseLayers(paths: KitPaths): Promise<string[]> {
  await ensureImage(paths, BASE_IMAGE, baseBuildSteps);
  const store = new ImageStore(paths);
  return store.layerDirs(store.get(BASE_IMAGE));
}

/**
 * Where a lab's cgroup for `controller` goes: under the v1 hierarchy that
 * holds the controller, or the cgroup2 tree (v2-only hosts, and hybrid ones
 * whose v1 lacks it). What the student writes differs by version.
 */
export function labCgroup(controller: string, id: string): { dir: string; version: 'v1' | 'v2' } {
  const host = cgroupHost();
  if (host.v1Controllers.includes(controller)) return { dir: `${CGROUP_ROOT}/${controller}/kit-lab-${id}`, version: 'v1' };
  if (host.v2Root) return { dir: `${host.v2Root}/kit-lab-${id}`, version: 'v2' };
  throw new KitError(`this host has no ${controller} cgroup controller`, 'the cgroup labs need it (see `kit info`)');
}
