import type { Resources } from './cgroups/limits';

/**
 * A container, as data: what to run and what to isolate it with. `kit run`
 * builds one from Docker-style flags, and each chapter declares one.
 */
export const NAMESPACES = ['mount', 'uts', 'ipc', 'pid', 'net', 'user', 'cgroup'] as const;
export type Namespace = (typeof NAMESPACES)[number];

export interface ContainerSpec {
  /** argv of the container's first process. */
  command: string[];
  /** Environment of that process (NAME=value). */
  env: string[];
  namespaces: Namespace[];
  /** Set inside the UTS namespace. */
  hostname?: string;
  /** Name shown by `kit ps`; defaults to the id. */
  name?: string;
  /** cgroup limits (--cpu-quota, --memory ...); present = the container gets cgroups of its own. */
  resources?: Resources;
}

export const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function defaultSpec(command: string[]): ContainerSpec {
  return { command, env: [DEFAULT_PATH], namespaces: [...NAMESPACES].filter((n) => n !== 'net' && n !== 'user') };
}
