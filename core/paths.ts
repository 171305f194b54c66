import { homedir } from 'node:os';
import { join } from 'node:path';
import { secureKitDirs } from './security/dir-modes';

/**
 * Where kit keeps things. Everything lives under two roots that one env var,
 * KIT_ROOT, moves together (tests give each run its own temp dir):
 * - data: images and layers, kept across reboots (/var/lib/kit)
 * - state: running containers and their undo journals (/run/kit)
 */
export interface KitPaths {
  data: string;
  state: string;
}

export function kitPaths(env: NodeJS.ProcessEnv = process.env): KitPaths {
  const root = env.KIT_ROOT;
  const paths = root ? { data: join(root, 'data'), state: join(root, 'run') } : process.getuid?.() === 0 ? { data: '/var/lib/kit', state: '/run/kit' } : userPaths(env);
  // Closed to other host users before anything is put in them (core/security/dir-modes.ts).
  secureKitDirs(paths);
  return paths;
}

/**
 * Without root, kit's dirs are the user's own, where the XDG base directory
 * spec puts them (as rootless podman does): data in $XDG_DATA_HOME/kit
 * (~/.local/share/kit), state in $XDG_RUNTIME_DIR/kit (a tmpfs the login
 * made, gone at logout) or else $XDG_STATE_HOME/kit (~/.local/state/kit).
 */
function userPaths(env: NodeJS.ProcessEnv): KitPaths {
  const home = env.HOME || homedir();
  const data = join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'kit');
  const state = env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'kit') : join(env.XDG_STATE_HOME || join(home, '.local', 'state'), 'kit');
  return { data, state };
}

export function containersDir(paths: KitPaths): string {
  return join(paths.state, 'containers');
}

export function containerDir(paths: KitPaths, id: string): string {
  return join(containersDir(paths), id);
}
