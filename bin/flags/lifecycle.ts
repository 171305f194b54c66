import { join } from 'node:path';
import { Args, Flags, type Command } from '@oclif/core';
import { kitPaths, startDetached, type ContainerSpec, type Detached } from '../../core';

/** The argument of kit ps/exec/logs/stop/rm that names a running container, resolved by findContainer. */
export const containerArg = Args.string({ required: true, description: 'name, id or unique id prefix' });

/** `kit run` flags for how a container lives: in the background, under a name. */
export const lifecycleFlags = {
  detach: Flags.boolean({
    char: 'd',
    default: false,
    description: 'run in the background and print the container id; see it with kit ps, logs, exec, stop, rm',
  }),
  name: Flags.string({ description: 'a name for the container, unique among running ones; kit ps, exec, stop, rm accept it' }),
  rm: Flags.boolean({
    default: false,
    description: "remove the container's writable layer when it ends (without it the layer is kept for kit diff, kit commit, kit rm)",
  }),
};

export interface LifecycleFlags {
  detach: boolean;
  name?: string;
  /** Read by the run command where it makes the container's root: keep = !rm. */
  rm: boolean;
}

/**
 * Start the container `kit run` built: detached (a shim owns it and kit
 * prints its id, as `docker run -d` does) or in the foreground, by calling
 * `foreground` with the spec. Either way the spec carries --name.
 */
export async function startContainer<T>(
  command: Command,
  spec: ContainerSpec,
  flags: LifecycleFlags,
  foreground: (spec: ContainerSpec) => Promise<T>,
): Promise<T | Detached> {
  const named = flags.name === undefined ? spec : { ...spec, name: flags.name };
  if (!flags.detach) return foreground(named);
  const started = await startDetached(named, shimCommand(command), kitPaths());
  if (!command.jsonEnabled()) command.log(started.id);
  return started;
}

/** How to run `kit shim` from this installation. */
function shimCommand(command: Command): string[] {
  return [process.execPath, join(command.config.root, 'bin', 'run.js'), 'shim'];
}
