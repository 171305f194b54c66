import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mountTable } from '../../core/host/mountinfo';
import { processStat } from '../../core/host/process';
import { statePid } from './json';

const BIN = join(__dirname, '..', '..', 'bin', 'run.js');

/**
 * kit's tests create namespaces, mounts and cgroups: they need root, and a
 * missing privilege is a failure (in CI and locally), never a skip.
 */
export function requireRoot(): void {
  if (process.getuid?.() !== 0) throw new Error('kit tests need root (they create namespaces, mounts, cgroups): run `sudo npm test`');
}

/** A private kit root (KIT_ROOT) for one test file, removed by cleanup(). */
export function tempKitRoot(): { root: string; env: NodeJS.ProcessEnv; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'kit-test-'));
  return {
    root,
    env: { ...process.env, KIT_ROOT: root, NO_COLOR: '1', FORCE_COLOR: '0' },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run the kit CLI as a user would. */
export function kit(args: string[], env: NodeJS.ProcessEnv, options: { uid?: number } = {}): CliResult {
  const argv = options.uid === undefined ? [process.execPath, BIN, ...args] : ['setpriv', `--reuid=${options.uid}`, `--regid=${options.uid}`, '--clear-groups', process.execPath, BIN, ...args];
  // Another user has a HOME of their own (oclif reads its config dir there).
  const userEnv = options.uid === undefined ? env : { ...env, HOME: tmpdir() };
  const r = spawnSync(argv[0], argv.slice(1), { env: userEnv, encoding: 'utf8', timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function kitJson<T>(args: string[], env: NodeJS.ProcessEnv): T {
  const r = kit([...args, '--json'], env);
  if (r.status !== 0) throw new Error(`kit ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return JSON.parse(r.stdout) as T;
}

/** Start the CLI in the background (for signal tests). */
export function kitBackground(args: string[], env: NodeJS.ProcessEnv) {
  return spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * What a kit run could leave on the host, limited to what this test's kit
 * root owns (other test files and other kit users may run at the same time):
 * mounts under the root, procfs mounts on the host (a container's /proc
 * must never appear there), and container state dirs.
 */
export function hostSnapshot(root: string): { mounts: string[]; procMounts: number; containers: string[] } {
  const mounts = mountTable();
  const dir = join(root, 'run', 'containers');
  return {
    mounts: mounts.filter((m) => m.line.includes(root)).map((m) => m.mountPoint),
    procMounts: mounts.filter((m) => m.fstype === 'proc').length,
    containers: existsSync(dir) ? readdirSync(dir) : [],
  };
}

/**
 * The container of this kit root whose first process runs `command` (its id
 * and host pid), or undefined while there is none: kit-init has not exec'd
 * it yet, or kit has not written the pid yet.
 */
export function containerRunning(root: string, command: string): { id: string; pid: number } | undefined {
  const dir = join(root, 'run', 'containers');
  for (const id of hostSnapshot(root).containers) {
    const pid = statePid(join(dir, id));
    try {
      if (pid > 0 && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(command)) return { id, pid };
    } catch {
      // the process is already gone
    }
  }
  return undefined;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Alive and not a zombie: an exited process whose parent (PID 1, for a
 * reparented shim) has not reaped it yet no longer runs.
 */
export function running(pid: number): boolean {
  const stat = processStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}

/**
 * Until `check` holds (polled every 25 ms). The default wait is long: a
 * container start takes seconds when the machine runs many tests at once,
 * and a wait that passes costs only its own time.
 */
export async function eventually(check: () => boolean, timeoutMs = 30000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A privileged test file's kit root: needs root, and after all its tests the
 * host holds exactly what it held before (no mount, no container state left).
 * `teardown` runs after the tests and before that check (to remove what a
 * failed test left running, or to check more of the host).
 */
export function cleanKitRoot(teardown?: () => void): ReturnType<typeof tempKitRoot> {
  requireRoot();
  const kr = tempKitRoot();
  const before = hostSnapshot(kr.root);
  afterAll(() => {
    teardown?.();
    expect(hostSnapshot(kr.root)).toEqual(before);
    kr.cleanup();
  });
  return kr;
}

/** Children of this test process that exited and were never reaped. */
export function zombieChildren(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => processStat(pid)?.state === 'Z' && processStat(pid)?.ppid === process.pid);
}

export function openFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Each `kit run ARGS base true` refused as Docker refuses a bad flag value: exit 125, one line matching, no container left. */
export function expectRunRefused(kr: { root: string; env: NodeJS.ProcessEnv }, cases: Array<[string[], RegExp]>): void {
  for (const [args, line] of cases) {
    const r = kit(['run', ...args, 'base', 'true'], kr.env);
    expect(r.status).toBe(125);
    expect(r.stderr).toMatch(line);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  }
  expect(hostSnapshot(kr.root).containers).toEqual([]);
  expect(kit(['ps', '-aq'], kr.env).stdout).toBe('');
}
