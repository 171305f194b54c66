import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PATH, type Namespace } from './spec';

/**
 * What a chapter needs from this machine, checked before it runs so that
 * `kit chapter` can say ready / unsupported here, and why.
 */
export type Requirement =
  | { root: true; because?: string }
  | { namespace: Namespace }
  | { filesystem: string }
  | { tool: string; install: string };

export const NS_FILE: Record<Namespace, string> = { mount: 'mnt', uts: 'uts', ipc: 'ipc', pid: 'pid', net: 'net', user: 'user', cgroup: 'cgroup' };

/** Why the requirement is not met here, or undefined when it is. */
export function missing(req: Requirement): string | undefined {
  if ('root' in req) return process.getuid?.() === 0 ? undefined : req.because ? `needs root: ${req.because}; sudo runs it` : 'needs root: run it with sudo';
  if ('namespace' in req) {
    return existsSync(`/proc/self/ns/${NS_FILE[req.namespace]}`) ? undefined : `this kernel has no ${req.namespace} namespace`;
  }
  if ('filesystem' in req) return hasFilesystem(req.filesystem) ? undefined : `this kernel has no ${req.filesystem} filesystem (see /proc/filesystems)`;
  return hasProgram(req.tool) ? undefined : `${req.tool} is not installed: ${req.install}`;
}

/**
 * A program on this machine's PATH: an executable file in one of its
 * directories, as a shell finds it, looked for without starting a shell
 * (kit run asks for mkfs.btrfs while choosing a storage driver).
 */
export function hasProgram(name: string, path = process.env.PATH ?? DEFAULT_PATH.slice('PATH='.length)): boolean {
  return path.split(':').some((dir) => dir !== '' && isExecutableFile(join(dir, name)));
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function hasFilesystem(name: string): boolean {
  try {
    return readFileSync('/proc/filesystems', 'utf8').split('\n').some((l) => l.split('\t').pop() === name);
  } catch {
    return false;
  }
}

export function unmet(reqs: Requirement[]): string[] {
  return reqs.flatMap((r) => missing(r) ?? []);
}
