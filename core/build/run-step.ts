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
  const spec = { ...defaultSpec(rootedCommand(rootfs, ['/bin/sh', '-c', script])), env, name: 'kit-build' };
  return runContainer(spec, { paths });
}

/** `command` run with `rootfs` as its root, by the host's chroot(8) whatever PATH the image sets. */
export function rootedCommand(rootfs: string, command: string[]): string[] {
  return [resolveCommand('chroot', [DEFAULT_PATH], ['/']), rootfs, ...command];
}
