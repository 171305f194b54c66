import { realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * How a user of this machine starts kit, for the commands kit suggests
 * ("Try this"): `sudo kit` when the `kit` on PATH is this kit (npm link,
 * a global install), otherwise `sudo npx kit`, as the README's set-up does.
 * `root` is kit's package directory (oclif's config.root).
 */
export function kitInvocation(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const self = realpath(join(root, 'bin', 'run.js'));
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const found = realpath(join(dir, 'kit'));
    if (found && found === self) return 'sudo kit';
  }
  return 'sudo npx kit';
}

function realpath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
