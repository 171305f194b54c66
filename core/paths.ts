import { accessSync, constants, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { KitError } from './errors';
import { dirname, join } from 'node:path';
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

/**
 * Before a container is made: kit's dirs must be this user's to write. A
 * user without sudo pointed at root's (KIT_ROOT, or dirs an earlier
 * `sudo kit` made) gets one line saying so, not EACCES from deep inside.
 */
export function checkWritable(paths: KitPaths): void {
  for (const wanted of [paths.data, paths.state]) {
    let dir = wanted;
    try {
      // A dir not made yet is made in its nearest existing parent: that one must be writable.
      while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
      accessSync(dir, constants.W_OK | constants.X_OK);
    } catch (err) {
      const who = process.getuid?.() === 0 ? 'root' : `uid ${process.getuid?.()}`;
      throw new KitError(
        `kit's directory ${dir} is not writable by ${who}`,
        process.env.KIT_ROOT ? 'set KIT_ROOT to a directory of your own, or run kit with sudo' : 'run kit with sudo, or give the directory back to its user',
      );
    }
  }
}

export function containersDir(paths: KitPaths): string {
  return join(paths.state, 'containers');
}

export function containerDir(paths: KitPaths, id: string): string {
  return join(containersDir(paths), id);
}
