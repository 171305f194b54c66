import { KitError } from '../errors';
import { DEFAULT_PATH, defaultSpec, type ContainerSpec } from '../spec';
import { goArch } from './formats/arch';
import type { Image } from './store';
import { parseUser } from '../plan/user';

/** What `kit run` was asked for, on top of the image's own config. */
export interface RunRequest {
  /** Arguments after the image name; empty = the image's Cmd. */
  command: string[];
  /** -e NAME=value, or -e NAME to pass the host's value (dropped if unset). */
  env: string[];
  workdir?: string;
  hostname?: string;
  name?: string;
  /** --entrypoint: replaces the image's Entrypoint and drops its Cmd ('' clears it). */
  entrypoint?: string;
}

/**
 * The container spec for an image, with Docker's rules for its config:
 * the command is Entrypoint + (the given arguments, or else Cmd); the
 * environment is the image's Env with -e values replacing same-named ones;
 * the working directory is -w, else WorkingDir, else "/".
 */
export function specFromImage(image: Image, request: RunRequest): ContainerSpec {
  checkPlatform(image);
  checkEnv(image);
  const entrypoint = request.entrypoint === undefined ? (image.config.Entrypoint ?? []) : request.entrypoint === '' ? [] : [request.entrypoint];
  const defaultArgs = request.entrypoint === undefined ? (image.config.Cmd ?? []) : []; // Docker: a new entrypoint drops the image's Cmd
  const args = request.command.length ? request.command : defaultArgs;
  const command = [...entrypoint, ...args];
  if (!command.length) throw new KitError(`image '${image.name}' has no Cmd or Entrypoint`, `give the command after the image name: kit run ${image.name} sh`);
  return {
    ...defaultSpec(command),
    image: image.name,
    env: mergeEnv(image.config.Env ?? [DEFAULT_PATH], request.env),
    workdir: request.workdir ?? image.config.WorkingDir ?? '/',
    hostname: request.hostname,
    name: request.name,
  };
}

/** -e values over a base environment: NAME=value replaces NAME; a bare NAME takes the host's value (or drops it if unset), as Docker. */
export function mergeEnv(base: string[], overrides: string[]): string[] {
  const env = new Map(base.map((e) => [e.split('=')[0], e]));
  for (const entry of overrides) {
    const name = entry.split('=')[0];
    if (!name) throw new KitError(`'-e ${entry}' has no variable name`, 'use -e NAME=value');
    const value = entry.includes('=') ? entry : process.env[name] === undefined ? undefined : `${name}=${process.env[name]}`;
    if (value === undefined) env.delete(name);
    else env.set(name, value);
  }
  return [...env.values()];
}

/**
 * An image for another machine would end in `exec format error` (or a
 * mount error) deep in the run: say so first, in one line.
 */
function checkPlatform(image: Image): void {
  const p = image.platform;
  if (!p?.architecture) return;
  const host = goArch();
  const platform = [p.os || 'linux', p.architecture, p.variant].filter(Boolean).join('/');
  if (p.os && p.os !== 'linux') throw new KitError(`image '${image.name}' is for ${platform}; kit runs Linux images`, 'use the image built for linux');
  if (p.architecture !== host) {
    throw new KitError(`image '${image.name}' is for ${platform} and this host is linux/${host}`, `its programs cannot run here unless binfmt_misc has a qemu handler for ${p.architecture} (apt-get install qemu-user-static binfmt-support); or import the linux/${host} variant`);
  }
}

/** As runc does: an environment entry without '=' (or with an empty name, or a NUL) is an error, not passed on. */
function checkEnv(image: Image): void {
  for (const entry of image.config.Env ?? []) {
    const eq = entry.indexOf('=');
    const why = eq === -1 ? "missing '='" : eq === 0 ? 'the name is empty' : entry.includes('\0') ? 'it contains a NUL byte' : undefined;
    if (why) throw new KitError(`image '${image.name}' has an invalid environment variable ${JSON.stringify(entry)}: ${why}`, 'fix the image\'s Env (ENV NAME=value), or rebuild it');
  }
}

/**
 * The user an image says its command runs as (its config's User), checked as
 * -u is: an image is untrusted input, and Docker refuses to run one whose
 * user it cannot find rather than fall back to root.
 */
export function imageUser(image: Image): string | undefined {
  const user = image.config.User;
  if (user === undefined) return undefined;
  try {
    return parseUser(user);
  } catch {
    throw new KitError(`image '${image.name}' says its User is '${user}', which is not UID[:GID] or NAME[:GROUP]`, 'give the user with -u (e.g. -u 1000), or fix the image');
  }
}
