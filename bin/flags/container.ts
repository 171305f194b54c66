import { Flags } from '@oclif/core';
import type { RunRequest } from '../../core';

/**
 * `kit run` flags about the container's process, Docker's names. Other
 * concerns (cgroup limits, network) add their own file here and spread
 * their flags into bin/commands/run.ts the same way.
 */
export const containerFlags = {
  env: Flags.string({ char: 'e', multiple: true, multipleNonGreedy: true, description: 'set an environment variable (NAME=value, or NAME to pass the host\'s value)' }),
  workdir: Flags.string({ char: 'w', description: 'working directory inside the container (default: the image\'s WorkingDir)' }),
  hostname: Flags.string({ description: 'hostname inside the container (default: its id)' }),
  name: Flags.string({ description: 'a name for the container (default: its id)' }),
};

export function runRequest(flags: { env?: string[]; workdir?: string; hostname?: string; name?: string }, command: string[]): RunRequest {
  return { command, env: flags.env ?? [], workdir: flags.workdir, hostname: flags.hostname, name: flags.name };
}
