import { join } from 'node:path';
import { Args, Flags, type Command } from '@oclif/core';
import { kitPaths, startDetached, type ContainerSpec, type Detached } from '../../core';

/** The argument of kit ps/exec/logs/stop/rm that names a running container, resolved by findContainer. */
export const containerArg = Args.string({ required: true, description: 'name, id or unique id prefix' });

/**
 * `kit run -d`. (--name is one of kit run's container flags: it sets
 * spec.name, which the plan reserves, detached or not.)
 */
export const lifecycleFlags = {
  detach: Flags.boolean({
    char: 'd',
    default: false,
    description: 'run in the background and print the container id; see it with kit ps, logs, exec, stop, rm',
  }),
};

/**
 * Start the container `kit run` built: detached (a shim owns it and kit
 * prints its id, as `docker run -d` does) or in the foreground, by calling
 * `foreground`. The shim receives only the spec (as JSON), so everything the
 * container needs must be in it.
 */
export async function startContainer<T>(
  command: Command,
  spec: ContainerSpec,
  flags: { detach: boolean },
  foreground: () => Promise<T>,
): Promise<T | Detached> {
  if (!flags.detach) return foreground();
  const started = await startDetached(spec, shimCommand(command), kitPaths());
  if (!command.jsonEnabled()) command.log(started.id);
  return started;
}

/** How to run `kit shim` from this installation. */
function shimCommand(command: Command): string[] {
  return [process.execPath, join(command.config.root, 'bin', 'run.js'), 'shim'];
}
