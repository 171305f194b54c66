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
  run: ({ pid, command }) => {
    if (!pid) return { text: '(no container running)' };
    const tree = commandOutput(['ps', '-o', 'pid,ppid,cmd', '-p', `${process.pid},${pid}`]);
    const nspid = statusField(pid, 'NSpid') ?? '?';
    const lines = [
      tree,
      '',
      `/proc/${pid}/status NSpid: ${nspid}   (host PID, then its PID inside each nested PID namespace)`,
      `namespaces that differ from the host's: ${differingNamespaces(pid).join(', ') || 'none'}`,
    ];
    return { title: `the container process, seen from the host (pid ${pid})${waiting(pid, command)}`, text: lines.join('\n') };
  },
};

/** Before it is released the process is still kit-init: say so, and what it will become. */
function waiting(pid: number, command?: string[]): string {
  const comm = statusField(pid, 'Name');
  if (comm !== 'kit-init' || !command?.length) return '';
  return `: still kit-init, waiting for its plan; it becomes \`${command.join(' ')}\` once released`;
}

function differingNamespaces(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/ns`).filter((ns) => namespaceDiffers(pid, ns));
  } catch {
    return [];
  }
}
