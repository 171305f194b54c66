import { spawnSync } from 'node:child_process';
import { KitError } from '../errors';
import type { TraceRecorder } from '../trace/recorder';

/**
 * Host programs kit runs (`ip`, `iptables`, `nsenter`), synchronously and
 * traced: the trace event's syscall is the program, its args the rest of the
 * argv, ret the exit code, errno `EXIT` when the exit code is not 0 (with the
 * first line of stderr as the message). So the trace shows the exact command,
 * one a learner can paste into a shell.
 */
export interface CommandResult {
  status: number;
  /** The program could not be started (not installed): status is then 127, as a shell reports it. */
  notFound: boolean;
  stdout: string;
  stderr: string;
}

/**
 * `no`: for a command that asks a question (does the chain exist? is the
 * rule there?), what a non-zero exit means. It is then the answer, not a
 * failure: the trace shows it as such, not the program's own stderr
 * (iptables-nft answers a missing chain with "incompatible, use 'nft' tool").
 * `when`: only a non-zero exit whose stderr matches is that answer.
 * `env`: variables the program needs on top of kit's own (dmsetup's DM_DISABLE_UDEV).
 * `input`: what the program reads on stdin (iptables-restore's rules), kept in the trace.
 */
export function runCommand(trace: TraceRecorder, why: string | undefined, argv: string[], question?: { no: string; when?: RegExp }, env?: Record<string, string>, input?: string): CommandResult {
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', env: env ? { ...process.env, ...env } : process.env, input });
  const durationUs = Number((process.hrtime.bigint() - start) / 1000n);
  const status = r.error ? NOT_FOUND : (r.status ?? 128);
  const stderr = r.error ? `${argv[0]}: ${r.error.message}` : r.stderr;
  const answered = question !== undefined && !r.error && status !== 128 && (status === 0 || !question.when || question.when.test(stderr));
  const failed = status !== 0 && !answered;
  trace.add({
    syscall: argv[0],
    args: argv.slice(1),
    ret: status,
    errno: failed ? 'EXIT' : null,
    errnoMessage: failed ? firstLine(stderr) || `exit code ${status}` : null,
    answer: answered && status !== 0 ? question.no : undefined,
    durationUs,
    side: 'host',
    step: null,
    pending: false,
    command: true,
    ...(input === undefined ? {} : { input }),
    why: why ?? trace.currentWhy,
  });
  return { status, notFound: r.error !== undefined, stdout: r.stdout ?? '', stderr };
}

/** Like runCommand, but a failure is a KitError naming the command and what it printed. */
export function checkCommand(trace: TraceRecorder, why: string | undefined, argv: string[], env?: Record<string, string>, input?: string): CommandResult {
  const r = runCommand(trace, why, argv, undefined, env, input);
  if (r.notFound) throw new KitError(`${argv[0]} is not installed: kit runs it to change the host`, `install it: apt-get install ${PACKAGE[argv[0]] ?? argv[0]}`);
  if (r.status !== 0) throw new KitError(`\`${argv.join(' ')}\` failed (exit ${r.status}): ${firstLine(r.stderr)}`);
  return r;
}

/** The exit status a shell gives a program it cannot find. */
const NOT_FOUND = 127;

/** The Debian package of each program kit runs. */
const PACKAGE: Record<string, string> = { ip: 'iproute2', nsenter: 'util-linux', iptables: 'iptables', 'iptables-restore': 'iptables', dmsetup: 'dmsetup', losetup: 'mount', 'mkfs.ext4': 'e2fsprogs' };

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
