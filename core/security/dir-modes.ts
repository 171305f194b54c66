import { chmodSync, mkdirSync, statSync } from 'node:fs';

/**
 * kit's data dir holds every container's layer, and a container's root may
 * write a setuid-root program there: if another host user could reach it,
 * they could run it and be root on the host. So, as Docker does with
 * /var/lib/docker (0710) and /run/docker (0700), kit's data and state dirs
 * are closed to other users: the data dir keeps only its group's x bit,
 * the state dir (journals, logs, control sockets) nothing at all. Made so
 * when first created, and tightened when found looser (an older kit).
 */
export const DATA_DIR_MODE = 0o710;
export const STATE_DIR_MODE = 0o700;

export function secureKitDirs(paths: { data: string; state: string }): void {
  secureDir(paths.data, DATA_DIR_MODE);
  secureDir(paths.state, STATE_DIR_MODE);
}

/** Dirs already made safe by this process: kitPaths() is called often, the check is needed once. */
const secured = new Set<string>();

function secureDir(dir: string, mode: number): void {
  if (secured.has(dir)) return;
  try {
    mkdirSync(dir, { recursive: true, mode });
    if ((statSync(dir).mode & 0o777) !== mode) chmodSync(dir, mode);
    secured.add(dir);
  } catch {
    // Not ours to make or change (a user without sudo reading /var/lib/kit): the command that needs it says so.
  }
}
