import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KitError } from './errors';
import { statusField } from './host/process';
import { hasProgram } from './support';

/**
 * A second view of a container: the real strace, attached from the host to
 * the container's first process before it is released, following its
 * children. kit's trace says what kit asked for; strace's says everything the
 * process inside did, including after execve.
 */
export class StraceObserver {
  private readonly dir = mkdtempSync(join(tmpdir(), 'kit-strace-'));
  private done?: Promise<void>;

  static check(): void {
    if (!hasProgram('strace')) {
      throw new KitError('--strace needs strace, which is not installed', 'install it (Debian/Ubuntu: apt-get install strace) or drop --strace');
    }
  }

  /** Attach to `pid` and return once strace is tracing it. */
  async attach(pid: number): Promise<void> {
    const child = spawn('strace', ['-f', '-qq', '-o', join(this.dir, 'out'), '-p', String(pid)], { stdio: 'ignore' });
    this.done = new Promise((resolve) => child.on('exit', () => resolve()));
    for (let i = 0; i < 200 && tracerOf(pid) === 0; i++) await sleep(10);
  }

  /** strace's lines, once the traced process is gone and strace has exited. */
  async lines(): Promise<string[]> {
    await this.done;
    try {
      return readFileSync(join(this.dir, 'out'), 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

function tracerOf(pid: number): number {
  const tracer = statusField(pid, 'TracerPid');
  return tracer === undefined ? -1 : Number(tracer); // -1: the process is gone, stop waiting
}

/**
 * strace's lines split at the command's own execve: strace attaches to
 * kit-init, so what comes before is kit-init's work (its plan, its mounts),
 * already in kit's trace; the learner wants what the command did.
 */
export function commandCalls(lines: string[]): { kitInitCalls: number; lines: string[] } {
  const exec = lines.findIndex((l) => /^(\d+\s+)?execve\(.*\) = 0\b/.test(l));
  if (exec < 0) return { kitInitCalls: lines.length, lines: [] };
  return { kitInitCalls: exec, lines: lines.slice(exec) };
}
