import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { tempKitRoot, type CliResult } from '../../support/kit';

const BIN = join(__dirname, '..', '..', '..', 'bin', 'run.js');

/** These tests only make sense in the guest: refuse to run them on a host. */
export function requireGuest(): void {
  if (process.env.KIT_IN_GUEST !== '1') throw new Error('test/guest/cases run inside the qemu guest: use `sudo npm run test:guest`');
}

/**
 * The kit CLI under emulation: node starts ~19x slower than on the host, so
 * the timeout is long. Each command and how long it took goes to run.log.
 */
export function kitSlow(args: string[], env: NodeJS.ProcessEnv): CliResult {
  const start = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 240_000 });
  process.stderr.write(`  $ kit ${args.join(' ')}: exit ${r.status ?? r.signal} in ${Math.round((Date.now() - start) / 1000)} s\n`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The kit CLI in the background: the child (to kill) and its result once it ends. */
export function kitSlowBackground(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<CliResult> } {
  const start = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (status, signal) => {
      process.stderr.write(`  $ kit ${args.join(' ')} (background): exit ${status ?? signal} in ${Math.round((Date.now() - start) / 1000)} s\n`);
      resolve({ status, stdout, stderr });
    }),
  );
  return { child, done };
}

export function kitSlowJson<T>(args: string[], env: NodeJS.ProcessEnv): T {
  const r = kitSlow([...args, '--json'], env);
  if (r.status !== 0) throw new Error(`kit ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return JSON.parse(r.stdout) as T;
}

export function guestKitRoot(): ReturnType<typeof tempKitRoot> {
  requireGuest();
  return tempKitRoot();
}
