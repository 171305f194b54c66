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
  const paths = root ? { data: join(root, 'data'), state: join(root, 'run') } : { data: '/var/lib/kit', state: '/run/kit' };
  // Closed to other host users before anything is put in them (core/security/dir-modes.ts).
  secureKitDirs(paths);
  return paths;
}

export function containersDir(paths: KitPaths): string {
  return join(paths.state, 'containers');
}

export function containerDir(paths: KitPaths, id: string): string {
  return join(containersDir(paths), id);
}
