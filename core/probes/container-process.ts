import { readdirSync, statSync } from 'node:fs';
import { namespaceDiffers, processStat, statusField } from '../host/process';
import { commandOutput } from './command';
import type { Probe } from './probe';

/**
 * The container's first process seen from the host: an ordinary process with
 * an ordinary PID, whose parent is kit (as Docker's containers hang under
 * containerd-shim), whose NSpid line lists both of its PIDs, and whose
 * namespaces differ from the host's.
 */
export const containerProcess: Probe = {
  wrap: true,
  id: 'container-process',
  title: 'the container process, seen from the host',
  run: ({ pid, command }) => {
    if (!pid) return { text: '(no container running)' };
    const tree = commandOutput(['ps', '-o', 'pid,ppid,cmd', '-p', `${process.pid},${pid}`]);
    const nspid = statusField(pid, 'NSpid') ?? '?';
    const lines = [
      tree,
      '',
      `/proc/${pid}/status NSpid: ${nspid}   (host PID, then its PID inside each nested PID namespace)`,
      `namespaces that differ from the host's: ${differingNamespaces(pid).join(', ') || 'none'}`,
      ...rootLine(pid),
    ];
    return { title: `the container process, seen from the host (pid ${pid})${moment(pid, command)}`, text: lines.join('\n') };
  },
};

/** Where the process is in its life, when ps alone would not say: held at its exec, still kit-init, already ended. */
function moment(pid: number, command?: string[]): string {
  const state = processStat(pid)?.state;
  if (state === undefined || state === 'Z') return ': it has already exited';
  if (statusField(pid, 'Name') === 'kit-init') return command?.length ? `: still kit-init, waiting for its plan; it becomes \`${command.join(' ')}\` once released` : ': still kit-init';
  if (state === 't') return ": just exec'd, held by kit at its first instruction while the host looks";
  return '';
}

/**
 * Whether the process's "/" is the host's own: the directory /proc/PID/root
 * leads to, compared by device and inode with the host's / (its path would
 * not tell: after pivot_root it reads "/" too). Nothing when it cannot be read.
 */
function rootLine(pid: number): string[] {
  try {
    const [own, host] = [statSync(`/proc/${pid}/root/`), statSync('/')];
    const same = own.dev === host.dev && own.ino === host.ino;
    return [`/proc/${pid}/root: ${same ? "the host's own / (the same device and inode)" : "not the host's / (another directory: the container's root)"}`];
  } catch {
    return [];
  }
}

function differingNamespaces(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/ns`).filter((ns) => namespaceDiffers(pid, ns));
  } catch {
    return [];
  }
}
