import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CgroupDir, CgroupIo, KnobWrite } from './driver';

const ENOENT = -2;
const EBUSY = -16;
const EEXIST = -17;
const ENOTEMPTY = -39;

/** Attempts at creating a container's cgroup when other kit processes keep removing the shared parent. */
const CREATE_ATTEMPTS = 10;
/** How long removal waits for killed processes to leave the cgroup. */
const DRAIN_MS = 3000;

/**
 * Create a container's cgroup under the shared `kit` parent. The parent is
 * host-global: another kit process may have just created it (EEXIST, fine)
 * or be removing it because its own last container ended (ENOENT on the
 * child's mkdir or on a parent write): then start over from the parent.
 */
export function createCgroup(io: CgroupIo, dir: CgroupDir): void {
  for (let attempt = 1; ; attempt++) {
    const why = dir.sharedParent
      ? 'the shared kit/ parent: the first container to need it makes it (EEXIST: one did)'
      : "the cgroupsPath's parent, made if missing (EEXIST: its owner made it); kit never removes it";
    const parent = io.mkdir(dir.parent, why);
    if (parent < 0 && parent !== EEXIST) throw io.error(parent);
    const ret = writeAll(io, dir.parentWrites) ?? io.mkdir(dir.path, `the container's own cgroup (${dir.controllers.join(', ') || 'no controller'}): the kernel fills it with control files`);
    if (ret >= 0) return;
    if (ret !== ENOENT || attempt === CREATE_ATTEMPTS) throw io.error(ret);
  }
}

/** The writes in order; stops at the first failure and returns its -errno. */
export function writeAll(io: CgroupIo, writes: KnobWrite[]): number | undefined {
  for (const w of writes) {
    const ret = io.write(w.file, w.value, w.why);
    if (ret < 0) return ret;
  }
  return undefined;
}

/**
 * Remove a container's cgroup: first end what is still in it (cgroup.kill
 * where the kernel has it, v2 since 5.14; else SIGKILL every process listed
 * in cgroup.procs), wait for it to empty, rmdir it, then rmdir the shared
 * parent if it is kit's and empty (EBUSY/ENOTEMPTY: another container still
 * uses it). Tolerates a cgroup already gone. Returns a problem line or undefined.
 */
export function removeCgroup(io: CgroupIo, path: string, parent: string | undefined): string | undefined {
  const end = Date.now() + DRAIN_MS;
  for (;;) {
    // Unreadable: already gone, most likely; rmdir says so for sure (ENOENT).
    const procs = io.read(join(path, 'cgroup.procs'));
    if (procs?.trim()) emptyOut(io, path, procs);
    const ret = io.rmdir(path, "undo: remove the container's cgroup, now empty");
    if (ret === 0 || ret === ENOENT) break;
    if (ret !== EBUSY || Date.now() > end) return `could not remove ${path} (errno ${-ret})`;
    sleep(20);
  }
  if (parent === undefined) return undefined;
  const ret = io.rmdir(parent, 'undo: remove the shared kit/ parent, unless another container is in it (EBUSY/ENOTEMPTY)');
  if (ret < 0 && ![ENOENT, EBUSY, ENOTEMPTY].includes(ret)) return `could not remove ${parent} (errno ${-ret})`;
  return undefined;
}

function emptyOut(io: CgroupIo, path: string, procs: string): void {
  const killFile = join(path, 'cgroup.kill');
  if (existsSync(killFile) && io.write(killFile, '1') >= 0) return;
  // ESRCH (exited meanwhile) is fine: rmdir tells whether it emptied.
  for (const pid of procs.split('\n').filter(Boolean).map(Number)) io.kill(pid);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
