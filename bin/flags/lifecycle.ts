import { join } from 'node:path';
import { Args, Flags, type Command } from '@oclif/core';
import { KitError, kitPaths, parseBytes, parseRestartPolicy, startDetached, type ContainerSpec, type Detached, type RestartPolicy } from '../../core';

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
  rm: Flags.boolean({
    default: false,
    description: 'remove the container when it exits: no record, logs or layer are kept (docker run --rm; a foreground run without --name does this anyway)',
  }),
  restart: Flags.string({
    helpValue: 'no|on-failure[:N]|always|unless-stopped',
    description: "what the container's shim does when it exits: start it again (on a non-zero code, at most N times; or always), unless kit stop or kit rm ended it (docker run --restart; needs -d)",
  }),
  'log-opt': Flags.string({
    multiple: true,
    multipleNonGreedy: true,
    helpValue: 'max-size=SIZE',
    description: "the container's log is rotated past max-size (default 10m; one rotated file is kept), as docker run --log-opt max-size",
  }),
  'log-driver': Flags.string({
    options: ['json-file', 'none'],
    helpValue: 'json-file|none',
    description: "json-file (the default): the container's output, foreground or -d, is kept for kit logs; none: not logged at all (docker run --log-driver)",
  }),
};

/**
 * Whether the container is kept after it exits, as Docker keeps every one
 * without --rm. kit's own default for a plain foreground run without a name
 * is to remove it (nothing could name it later); -d or --name keep it.
 */
export function keepAfterExit(flags: { rm: boolean; detach: boolean; name?: string }): boolean {
  return !flags.rm && (flags.detach || flags.name !== undefined);
}

/** --restart as spec.restart: only a shim restarts containers, so it needs -d, and it cannot go with --rm (as in Docker). */
export function restartOption(flags: { restart?: string; detach: boolean; rm: boolean }): { restart?: RestartPolicy } {
  if (flags.restart === undefined) return {};
  const restart = parseRestartPolicy(flags.restart);
  if (restart.name === 'no') return {};
  if (flags.rm) throw new KitError(`--restart ${flags.restart} and --rm contradict each other`, 'a removed container cannot be restarted: drop one of them');
  if (!flags.detach) throw new KitError(`--restart ${flags.restart} needs -d`, "kit restarts a container from its shim, which only a detached container has");
  return { restart };
}

/** --log-opt max-size=10m as spec.logMaxBytes, --log-driver none as spec.logDriver. */
export function logOptions(flags: { 'log-opt'?: string[]; 'log-driver'?: string }): { logMaxBytes?: number; logDriver?: 'none' } {
  let logMaxBytes: number | undefined;
  for (const opt of flags['log-opt'] ?? []) {
    const [key, value] = opt.split('=', 2);
    if (key !== 'max-size' || value === undefined) throw new KitError(`bad --log-opt '${opt}'`, 'kit knows max-size=SIZE (e.g. max-size=10m)');
    logMaxBytes = parseBytes('--log-opt max-size', value);
  }
  return { ...(logMaxBytes === undefined ? {} : { logMaxBytes }), ...(flags['log-driver'] === 'none' ? { logDriver: 'none' as const } : {}) };
}

/**
 * Start the container `kit run` built: detached (a shim owns it and kit
 * prints its id, as `docker run -d` does) or in the foreground, by calling
 * `foreground`. The shim receives only the spec (as JSON), so everything the
 * container needs must be in it.
 */
export async function startContainer<T>(
  command: Command,
  spec: ContainerSpec,
  flags: { detach: boolean; id?: string },
  foreground: () => Promise<T>,
): Promise<T | Detached> {
  if (!flags.detach) return foreground();
  const started = await startDetached(spec, shimCommand(command), kitPaths(), flags.id);
  if (!command.jsonEnabled()) command.log(started.id);
  return started;
}

/** How to run `kit shim` from this installation. */
export function shimCommand(command: Command): string[] {
  return [process.execPath, join(command.config.root, 'bin', 'run.js'), 'shim'];
}

/**
 * `docker start` and `docker restart` exit 1 for every failure, a command
 * not found in the image (127 for `docker run`) included: the container's
 * codes are in `kit inspect`, not in the verb's.
 */
export async function asStartVerb<T>(act: () => Promise<T>): Promise<T> {
  try {
    return await act();
  } catch (err) {
    if (err instanceof KitError && err.exitCode !== 1) throw new KitError(err.message, err.hint, 1);
    throw err;
  }
}
