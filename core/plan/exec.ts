import { posix } from 'node:path';
import type { ContainerSpec } from '../spec';
import type { PlanPart } from './plan';
import { statInRoot } from './root-lookup';

/**
 * The last step: execve the container's command. execve needs a path, so a
 * bare name is looked up in the container's PATH under its root directory,
 * as a shell would: the host's "/", or an image's layers (top layer first,
 * as the union mount will show them). A name not found stays as it is: the
 * execve then fails with ENOENT in the trace, which is the lesson.
 */
export function planExec(spec: ContainerSpec, roots: string[] = ['/']): PlanPart {
  const [name] = spec.command;
  const path = resolveCommand(name, spec.env, roots);
  return {
    container: [
      {
        op: 'exec',
        path,
        argv: spec.command,
        env: spec.env,
        why: execWhy(spec),
        hint: spec.image ? `no such file in the image's rootfs: see what '${spec.image}' holds with \`kit run ${spec.image} ls /bin\`` : undefined,
        hintErrno: 'ENOENT', // EACCES (not executable) has its own
      },
    ],
  };
}

/** What execve changes for this container: only in a new PID namespace does the command become PID 1. */
function execWhy(spec: ContainerSpec): string {
  if (spec.namespaces.includes('pid')) return "replace kit-init with the container's command: from here on it is PID 1 of its PID namespace";
  return "replace kit-init with the container's command: it keeps the PID clone() returned (no PID namespace here)";
}

export function resolveCommand(name: string, env: string[], roots: string[]): string {
  if (name.includes('/')) return name;
  const pathVar = env.find((e) => e.startsWith('PATH='))?.slice(5) ?? '/usr/bin:/bin';
  for (const dir of pathVar.split(':').filter(Boolean)) {
    const candidate = posix.join(dir, name);
    if (roots.some((root) => isExecutable(root, candidate))) return candidate;
  }
  return name;
}

/** A regular file with an execute bit, as seen from inside `root`. */
function isExecutable(root: string, path: string): boolean {
  const stats = statInRoot(root, path);
  return stats !== undefined && stats.isFile() && (stats.mode & 0o111) !== 0;
}
