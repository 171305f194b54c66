import { realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * How a user of this machine starts kit, for the commands kit suggests
 * ("Try this"): `sudo kit` when the `kit` on PATH is this kit (npm link,
 * a global install), otherwise `sudo npx kit`, as the README's set-up does.
 */
export function kitInvocation(env: NodeJS.ProcessEnv = process.env): string {
  const self = realpath(join(__dirname, 'run.js')) ?? realpath(join(__dirname, '..', '..', 'bin', 'run.js'));
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
