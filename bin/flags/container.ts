import { Flags } from '@oclif/core';
import { readFileSync, statSync } from 'node:fs';
import { KitError, parseUlimit, parseUser, resolveGroup, resolveUser, type ContainerSpec, type ExecProcess, type RunRequest } from '../../core';

/**
 * `kit run` flags about the container's process, Docker's names. Other
 * concerns (cgroup limits, network) add their own file here and spread
 * their flags into bin/commands/run.ts the same way.
 */
export const containerFlags = {
  env: Flags.string({ char: 'e', multiple: true, multipleNonGreedy: true, description: 'set an environment variable (NAME=value, or NAME to pass the host\'s value)' }),
  'env-file': Flags.string({ multiple: true, multipleNonGreedy: true, helpValue: 'FILE', description: 'read NAME=value lines from a file (# comments and blank lines skipped), before any -e (docker run --env-file)' }),
  workdir: Flags.string({ char: 'w', description: 'working directory inside the container, an absolute path (default: the image\'s WorkingDir)' }),
  hostname: Flags.string({ char: 'h', description: 'hostname inside the container (default: its id)' }),
  entrypoint: Flags.string({ helpValue: 'COMMAND', description: "replace the image's Entrypoint (and drop its Cmd, as Docker does); --entrypoint '' clears it" }),
  name: Flags.string({ description: 'a name for the container (default: its id)' }),
  user: Flags.string({ char: 'u', helpValue: 'UID[:GID]|NAME[:GROUP]', description: "run the command as this user: setgroups, setresgid, setresuid after the capability sets, so it keeps none; names from the image's /etc/passwd and /etc/group (docker run -u)" }),
  ulimit: Flags.string({ multiple: true, multipleNonGreedy: true, helpValue: 'NAME=SOFT[:HARD]', description: 'a resource limit kit-init sets with setrlimit before the exec: nofile, nproc, core, stack, fsize, ... (-1 = unlimited; docker run --ulimit)' }),
  'group-add': Flags.string({ multiple: true, multipleNonGreedy: true, helpValue: 'GROUP', description: "one more supplementary group for the command, a gid or a name from the image's /etc/group (docker run --group-add)" }),
  init: Flags.boolean({ default: false, description: 'run a tiny init as PID 1 (kit-init stays, reaps orphans, passes signals on) and the command as its child (docker run --init)' }),
};

/**
 * -u, --ulimit, --init as spec fields (checked here: a bad value is refused
 * before anything is made). `roots` are the image's layers, top first, where
 * a -u name is looked up.
 */
export function processSpec(flags: { user?: string; ulimit?: string[]; init?: boolean; 'group-add'?: string[] }, roots: string[]): Pick<ContainerSpec, 'user' | 'rlimits' | 'init' | 'groupAdd'> {
  return {
    ...userSpec(flags, roots),
    ...(flags.ulimit?.length ? { rlimits: flags.ulimit.map(parseUlimit) } : {}),
    ...(flags.init ? { init: true } : {}),
  };
}

/** -u and --group-add: the groups add to the user's (root's from the image without -u), as Docker. */
function userSpec(flags: { user?: string; 'group-add'?: string[] }, roots: string[]): Pick<ContainerSpec, 'user' | 'groupAdd'> {
  const added = (flags['group-add'] ?? []).map((g) => resolveGroup(g, roots));
  if (flags.user === undefined && !added.length) return {};
  const user = resolveUser(parseUser(flags.user ?? '0'), roots);
  return { user: { ...user, groups: [...new Set([...user.groups, ...added])] }, ...(added.length ? { groupAdd: flags['group-add'] } : {}) };
}

export function runRequest(flags: { env?: string[]; 'env-file'?: string[]; workdir?: string; hostname?: string; name?: string; entrypoint?: string }, command: string[]): RunRequest {
  checkWorkdir(flags.workdir);
  return { command, env: envFromFlags(flags), workdir: flags.workdir, hostname: flags.hostname, name: flags.name, entrypoint: flags.entrypoint };
}

/** docker exec's -u, -e, --env-file and -w: the exec'd process's own, over the container's. */
export const execProcessFlags = {
  env: containerFlags.env,
  'env-file': containerFlags['env-file'],
  workdir: Flags.string({ char: 'w', description: "working directory inside the container, an absolute path (default: the container's)" }),
  user: Flags.string({ char: 'u', helpValue: 'UID[:GID]|NAME[:GROUP]', description: "run the command as this user (names from the container's /etc/passwd and /etc/group; HOME is theirs), with no capabilities left (docker exec -u)" }),
};

/** The -u, -e and -w of kit exec, checked before anything is made. */
export function execProcess(flags: { env?: string[]; 'env-file'?: string[]; workdir?: string; user?: string }): ExecProcess {
  checkWorkdir(flags.workdir);
  return { env: envFromFlags(flags), ...(flags.workdir !== undefined ? { workdir: flags.workdir } : {}), ...(flags.user !== undefined ? { user: parseUser(flags.user) } : {}) };
}

function checkWorkdir(workdir: string | undefined): void {
  if (workdir !== undefined && !workdir.startsWith('/')) {
    throw new KitError(`--workdir '${workdir}' is not an absolute path`, `give it from the container's /, e.g. -w /${workdir.replace(/^\.?\/?/, '')}`);
  }
}

/** --env-file lines first, then -e, so -e wins (as Docker). */
function envFromFlags(flags: { env?: string[]; 'env-file'?: string[] }): string[] {
  return [...(flags['env-file'] ?? []).flatMap(readEnvFile), ...(flags.env ?? [])];
}

/** docker run --env-file: NAME=value (or NAME, the host's value) per line; # comments and blank lines skipped. */
function readEnvFile(file: string): string[] {
  let text: string;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new KitError(`--env-file ${file} is not a regular file`, 'give a text file of NAME=value lines');
    if (stat.size > 1024 * 1024) throw new KitError(`--env-file ${file} is larger than 1 MiB`, 'give a text file of NAME=value lines');
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof KitError) throw err;
    throw new KitError(`cannot read --env-file ${file} (${(err as NodeJS.ErrnoException).code})`, 'give a readable file of NAME=value lines');
  }
  return text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((line, i) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*(=|$)/.test(line)) throw new KitError(`--env-file ${file}, line ${i + 1}: '${line}' is not NAME=value`, 'one variable per line, NAME=value');
    return line;
  });
}
