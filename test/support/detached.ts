import { spawn } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { processStartTime, type ProcessRef } from '../../core/host/process';
import type { ContainerSpec } from '../../dist/core';

const ROOT = join(__dirname, '..', '..');

export interface DetachedResult {
  status: number | null;
  started?: { id: string; name: string; pid: number };
  error?: { message: string; hint?: string; exitCode: number };
}

/**
 * What `kit run -d` does, in a process of its own that exits once the
 * container runs: core's startDetached with the CLI's `kit shim`. (kit run
 * itself lives on another branch; bin/flags/lifecycle.ts wires it to this.)
 */
export function startDetachedProcess(spec: ContainerSpec, env: NodeJS.ProcessEnv): Promise<DetachedResult> {
  const script = `
    const core = require(${JSON.stringify(join(ROOT, 'dist', 'core'))});
    core.startDetached(JSON.parse(process.argv[1]), [process.execPath, ${JSON.stringify(join(ROOT, 'bin', 'run.js'))}, 'shim'])
      .then((started) => console.log(JSON.stringify({ started })))
      .catch((e) => { console.log(JSON.stringify({ error: { message: e.message, hint: e.hint, exitCode: e.exitCode } })); process.exitCode = e.exitCode ?? 1; });`;
  const child = spawn(process.execPath, ['-e', script, JSON.stringify(spec)], { env, stdio: ['ignore', 'pipe', 'inherit'], timeout: 30000 });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  return new Promise((resolve) => {
    child.on('close', (status) => resolve({ status, ...(JSON.parse(stdout) as Omit<DetachedResult, 'status'>) }));
  });
}

/**
 * The processes in the namespaces of `pid` (its PID and mount namespaces),
 * each with its start time: namespace inodes are reused once a namespace is
 * gone, so "nothing left" is checked on these processes, not on the inode.
 */
export function namespaceMembers(pid: number): ProcessRef[] {
  const ns = ['pid', 'mnt'].map((kind) => readlinkSync(`/proc/${pid}/ns/${kind}`));
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => ['pid', 'mnt'].some((kind, i) => nsOf(p, kind) === ns[i]))
    .map((p) => ({ pid: Number(p), startTime: processStartTime(Number(p)) ?? -1 }));
}

function nsOf(pid: string, kind: string): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/${kind}`);
  } catch {
    return undefined;
  }
}
