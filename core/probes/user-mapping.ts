import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { statusField } from '../host/process';
import { commandOutput } from './command';
import type { Probe, ProbeView } from './probe';

/**
 * A user namespace seen from the host, once kit-init has exec'd the
 * command: the maps kit wrote, and who the process is in host ids (the Uid
 * and Gid lines of /proc/<pid>/status are in the reader's namespace).
 */
export const userMapping: Probe = {
  wrap: true,
  id: 'user-mapping',
  title: "the container's user namespace, seen from the host",
  run: async ({ pid }) => {
    if (!pid) return { text: '(no container running)' };
    await waitFor(() => comm(pid) !== 'kit-init');
    return mappingView(pid);
  },
};

/**
 * The container's working directory, listed from the host with numeric
 * owners (`ls -ln`): a file made inside by root is owned by the uid the
 * map puts at 0. Waits (a little) for the command to have made one.
 */
export const filesMadeInside: Probe = {
  id: 'files-made-inside',
  title: "files the container made, seen from the host (ls -ln)",
  run: async ({ pid }) => {
    if (!pid) return { text: '(no container running)' };
    const dir = cwdOf(pid);
    if (!dir) return { text: '(the container is gone)' };
    await waitFor(() => entries(dir) > 0);
    return { title: `files the container made, seen from the host (ls -ln ${dir})`, text: commandOutput(['ls', '-ln', dir]) };
  },
};

function mappingView(pid: number): ProbeView {
  const lines = [
    ...['uid_map', 'gid_map'].map((f) => `/proc/${pid}/${f}:   ${(read(`/proc/${pid}/${f}`) ?? '?').trim().replace(/\s+/g, ' ')}   (inside, host, count)`),
    `/proc/${pid}/setgroups: ${(read(`/proc/${pid}/setgroups`) ?? '?').trim()}`,
    `/proc/${pid}/status Uid: ${statusField(pid, 'Uid') ?? '?'}   (real, effective, saved, filesystem: host uids)`,
    `/proc/${pid}/status Gid: ${statusField(pid, 'Gid') ?? '?'}`,
    '',
    commandOutput(['ps', '-o', 'user:12,uid,pid,cmd', '-p', String(pid)]),
  ];
  return { title: `the container's user namespace, seen from the host (pid ${pid})`, text: lines.join('\n') };
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function comm(pid: number): string | undefined {
  return read(`/proc/${pid}/comm`)?.trim();
}

function cwdOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

function entries(dir: string): number {
  try {
    return readdirSync(dir).length;
  } catch {
    return 0;
  }
}

/** Poll for at most two seconds: a probe shows what is there by then. */
async function waitFor(check: () => boolean): Promise<void> {
  const end = Date.now() + 2000;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}
