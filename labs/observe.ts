import { readFileSync, readlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/**
 * What a checker can see of a running container from the host: its
 * namespaces, its PIDs, its mounts, its cgroups; and what runs in its
 * namespaces (nsenter). All plain reads of /proc.
 */

/** The namespace a process is in, as `net:[4026531840]`; undefined when it is gone. */
export function namespaceOf(pid: number | 'self', ns: string): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/${ns}`);
  } catch {
    return undefined;
  }
}

/** For each namespace kind: is the process in a different one than the checker (the host)? */
export function namespacesDiffer(pid: number, kinds: string[]): Record<string, boolean> {
  return Object.fromEntries(kinds.map((ns) => [ns, namespaceOf(pid, ns) !== undefined && namespaceOf(pid, ns) !== namespaceOf('self', ns)]));
}

/** The process's PID in each PID namespace it is in, outermost first (NSpid). */
export function nsPids(pid: number): number[] {
  const line = readProc(pid, 'status')?.split('\n').find((l) => l.startsWith('NSpid:'));
  return line ? line.split(/\s+/).slice(1).map(Number) : [];
}

/** One line of /proc/<pid>/mountinfo. */
export interface MountLine {
  root: string;
  mountPoint: string;
  fstype: string;
  source: string;
  options: string;
  /** Optional fields: shared:N, master:N (propagation). */
  propagation: string[];
}

export function mountsOf(pid: number | 'self'): MountLine[] {
  return (readProc(pid, 'mountinfo') ?? '')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [left, right] = line.split(' - ');
      const f = left.split(' ');
      const [fstype, source] = right.split(' ');
      return { root: unescape(f[3]), mountPoint: unescape(f[4]), options: f[5], propagation: f.slice(6), fstype, source: unescape(source) };
    });
}

/** The cgroup paths of a process, by controller (v1) or '' (v2). */
export function cgroupsOf(pid: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of (readProc(pid, 'cgroup') ?? '').split('\n').filter(Boolean)) {
    const [, controllers, path] = line.split(':');
    for (const c of controllers.split(',')) out[c] = path;
  }
  return out;
}

/**
 * Run a program in some of the process's namespaces (nsenter), return its
 * output or undefined. Without root, entering a namespace needs the
 * capabilities of the user namespace that owns it: enter that too (-U), as
 * its owner may.
 */
export function inNamespaces(pid: number, flags: string[], argv: string[]): string | undefined {
  const user = process.getuid?.() !== 0 && namespaceOf(pid, 'user') !== namespaceOf('self', 'user') ? ['-U', '--preserve-credentials'] : [];
  const r = spawnSync('nsenter', ['-t', String(pid), ...user, ...flags, '--', ...argv], { encoding: 'utf8', timeout: 5000 });
  return r.status === 0 ? r.stdout : undefined;
}

/** Where a symlink points (/proc/<pid>/root, cwd), or undefined when it cannot be read. */
export function linkOf(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

export function readProc(pid: number | 'self', file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function unescape(s: string): string {
  return s.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}
