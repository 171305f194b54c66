import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { KitError } from '../errors';
import { containerDir, type KitPaths } from '../paths';
import { logFiles } from './shim';
import type { ContainerState } from './state';

type Stream = 'stdout' | 'stderr';

/** What a detached container has written so far (`kit logs`). */
export function readLogs(paths: KitPaths, state: ContainerState): Record<Stream, string> {
  const files = existingLogFiles(paths, state);
  return { stdout: readFileSync(files.stdout, 'utf8'), stderr: readFileSync(files.stderr, 'utf8') };
}

/**
 * `kit logs -f`: what the container has written and what it writes next,
 * until it ends. The files are held open: the shim deletes them with the
 * state dir when the container ends, and an open fd still reads to the end.
 */
export async function followLogs(paths: KitPaths, state: ContainerState, onText: (stream: Stream, text: string) => void): Promise<void> {
  const files = existingLogFiles(paths, state);
  const fds = { stdout: openSync(files.stdout, 'r'), stderr: openSync(files.stderr, 'r') };
  try {
    for (;;) {
      const ended = !existsSync(containerDir(paths, state.id));
      for (const stream of ['stdout', 'stderr'] as const) drain(fds[stream], (text) => onText(stream, text));
      if (ended) return;
      await sleep(100);
    }
  } finally {
    closeSync(fds.stdout);
    closeSync(fds.stderr);
  }
}

function drain(fd: number, onText: (text: string) => void): void {
  const buffer = Buffer.alloc(64 * 1024);
  for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) onText(buffer.subarray(0, n).toString('utf8'));
}

function existingLogFiles(paths: KitPaths, state: ContainerState): Record<Stream, string> {
  const files = logFiles(paths, state.id);
  if (!existsSync(files.stdout)) {
    throw new KitError(`container ${state.name} runs in the foreground: its output goes to the terminal of the kit that started it`, 'only containers started with -d have logs');
  }
  return files;
}
