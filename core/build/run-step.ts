import { runContainer, type RunResult } from '../engine/run';
import type { KitPaths } from '../paths';
import { resolveCommand } from '../plan/exec';
import { DEFAULT_PATH, defaultSpec } from '../spec';

/**
 * Run one RUN instruction's command with `rootfs` (the image built so far,
 * plus a container layer) as its root, in new mount, UTS, IPC and PID
 * namespaces. Until kit's own rootfs part (pivot_root) is wired into specs,
 * the command enters the root with chroot(8); this is the one place to
 * switch to it.
 */
export function runInRootfs(paths: KitPaths, rootfs: string, script: string, env: string[]): Promise<RunResult> {
  const chroot = resolveCommand('chroot', [DEFAULT_PATH], '/'); // the host's, whatever PATH the image sets
  const spec = { ...defaultSpec([chroot, rootfs, '/bin/sh', '-c', script]), env, name: 'kit-build' };
  return runContainer(spec, { paths });
}
