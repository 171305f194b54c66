import { runContainer, type RunResult } from '../engine/run';
import type { KitPaths } from '../paths';
import { defaultSpec } from '../spec';

/**
 * Run one RUN instruction's command with `rootfs` (the image built so far,
 * plus a container layer) as its root, in new mount, UTS, IPC and PID
 * namespaces. Until kit's own rootfs part (pivot_root) is wired into specs,
 * the command enters the root with chroot(8); this is the one place to
 * switch to it.
 */
export function runInRootfs(paths: KitPaths, rootfs: string, script: string, env: string[]): Promise<RunResult> {
  const spec = { ...defaultSpec(['chroot', rootfs, '/bin/sh', '-c', script]), env, name: 'kit-build' };
  return runContainer(spec, { paths });
}
