import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerSpec } from '../spec';
import type { PlanPart } from './plan';

/**
 * The last step: execve the container's command. execve needs a path, so a
 * bare name is looked up in the container's PATH under its root directory,
 * as a shell would. A name not found stays as it is: the execve then fails
 * with ENOENT in the trace, which is the lesson.
 */
export function planExec(spec: ContainerSpec, root = '/'): PlanPart {
  const [name, ...rest] = spec.command;
  const path = resolveCommand(name, spec.env, root);
  return {
    container: [
      {
        op: 'exec',
        fields: [path, spec.command.length, name, ...rest, ...spec.env],
        why: "replace kit-init with the container's command: from here on it is PID 1",
      },
    ],
  };
}

export function resolveCommand(name: string, env: string[], root: string): string {
  if (name.includes('/')) return name;
  const pathVar = env.find((e) => e.startsWith('PATH='))?.slice(5) ?? '/usr/bin:/bin';
  for (const dir of pathVar.split(':').filter(Boolean)) {
    const candidate = join(dir, name);
    if (isExecutable(join(root, candidate))) return candidate;
  }
  return name;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
