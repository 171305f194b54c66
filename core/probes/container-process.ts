import { readdirSync } from 'node:fs';
import { namespaceDiffers, statusField } from '../host/process';
import { commandOutput } from './command';
import type { Probe } from './probe';

/**
 * The container's first process seen from the host: an ordinary process with
 * an ordinary PID, whose parent is kit (as Docker's containers hang under
 * containerd-shim), whose NSpid line lists both of its PIDs, and whose
 * namespaces differ from the host's.
 */
export const containerProcess: Probe = {
  id: 'container-process',
  title: 'the container process, seen from the host',
  run: ({ pid }) => {
    if (!pid) return { text: '(no container running)' };
    const tree = commandOutput(['ps', '-o', 'pid,ppid,cmd', '-p', `${process.pid},${pid}`]);
    const nspid = statusField(pid, 'NSpid') ?? '?';
    const lines = [
      tree,
      '',
      `/proc/${pid}/status NSpid: ${nspid}   (host PID, then its PID inside each nested PID namespace)`,
      `namespaces that differ from the host's: ${differingNamespaces(pid).join(', ') || 'none'}`,
    ];
    return { title: `the container process, seen from the host (pid ${pid})`, text: lines.join('\n') };
  },
};

function differingNamespaces(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/ns`).filter((ns) => namespaceDiffers(pid, ns));
  } catch {
    return [];
  }
}
