import { readdirSync, readFileSync } from 'node:fs';
import { namespaceDiffers, processStat, statusField } from '../host/process';

/** One process of the host's tree, as the picture of a run draws it. */
export interface ProcessNode {
  pid: number;
  ppid: number;
  /** Its command line (or [name] for a kernel thread). */
  cmd: string;
  /** Its PIDs, host first, then inside each nested PID namespace (NSpid). */
  nspid: number[];
  /** The namespaces (mnt, uts, pid...) it does not share with kit: the container's boundary. */
  namespaces: string[];
}

/** A command line is kept this long: enough to tell what it is. */
const MAX_CMD = 200;

const NAMESPACES = ['mnt', 'uts', 'ipc', 'pid', 'net', 'user', 'cgroup'];

/**
 * The part of the host's process tree a run is about: PID 1, what started
 * kit, kit, and the container's first process with all its descendants.
 * Read from /proc while the container runs.
 */
export function processTree(containerPid: number): ProcessNode[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    const stat = pid > 0 ? processStat(pid) : undefined;
    if (stat) parents.set(pid, stat.ppid);
  }
  const ancestry: number[] = [];
  for (let pid = process.pid; pid > 0 && !ancestry.includes(pid); pid = parents.get(pid) ?? 0) ancestry.unshift(pid);
  // PID 1, then only kit's parent (the shell, sudo) and kit: what started it, not every process between.
  const chain = [...new Set([ancestry[0], ...ancestry.slice(-2)])];
  const inside = descendants(containerPid, parents);
  return [...chain, ...inside.filter((p) => !chain.includes(p))].map(node).filter((n): n is ProcessNode => n !== undefined);
}

function descendants(root: number, parents: Map<number, number>): number[] {
  if (!parents.has(root)) return [];
  const found = [root];
  for (let i = 0; i < found.length; i++) {
    for (const [pid, ppid] of parents) if (ppid === found[i] && !found.includes(pid)) found.push(pid);
  }
  return found;
}

function node(pid: number): ProcessNode | undefined {
  const stat = processStat(pid);
  if (!stat) return undefined;
  return {
    pid,
    ppid: stat.ppid,
    cmd: commandLine(pid),
    nspid: (statusField(pid, 'NSpid') ?? String(pid)).split(' ').map(Number),
    namespaces: NAMESPACES.filter((ns) => namespaceDiffers(pid, ns)),
  };
}

function commandLine(pid: number): string {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    if (argv.length) return argv.join(' ').slice(0, MAX_CMD);
    return `[${readFileSync(`/proc/${pid}/comm`, 'utf8').trim()}]`;
  } catch {
    return '?';
  }
}
