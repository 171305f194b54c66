import { closeSync, existsSync, openSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { decodeStatus } from '../../core/engine/exit-status';
import { SIG } from '../../core/linux';
import { initPath, native } from '../../core/native';

/**
 * wait(pid) waits on a libuv worker but reaps on Node's main thread: while
 * the main thread has not taken the result, the ended child stays a zombie,
 * so its pid cannot be handed to another process and a kill() kit sends
 * then (kit stop, Ctrl-C) reaches the zombie, never a stranger. No root: a
 * plain child (no namespaces) that execs kit-init, which finds no plan on
 * fd 3 (/dev/null) and exits 125.
 */

/** The state letter of /proc/<pid>/stat ('Z': a zombie), undefined once reaped. */
function state(pid: number): string | undefined {
  if (!existsSync(`/proc/${pid}/stat`)) return undefined;
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()?.[0];
  } catch {
    return undefined;
  }
}

/** Block this thread (no promise can settle meanwhile) for `ms`. */
const block = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

test('until the main thread takes the result, the ended child is a zombie: its pid is still its own', async () => {
  const devnull = openSync('/dev/null', 'r');
  const pid = native().spawn(SIG.CHLD, initPath(), [devnull, devnull, devnull, devnull]);
  closeSync(devnull);
  const waited = native().wait(pid);
  // Synchronously, so the promise cannot settle: watch the child end on its own.
  const deadline = Date.now() + 20000;
  while (state(pid) !== 'Z' && Date.now() < deadline) block(10);
  expect(state(pid)).toBe('Z');
  block(200); // the worker's wait has long returned: still not reaped
  expect(state(pid)).toBe('Z');
  expect(native().kill(pid, SIG.KILL)).toBe(0); // reaches the zombie
  const result = await waited;
  expect(state(pid)).toBeUndefined();
  expect(result).toMatchObject({ ret: pid, errno: 0 });
  expect(decodeStatus(result.status)).toMatchObject({ exitCode: 125 });
  const events = JSON.parse(result.trace) as Array<{ syscall: string; args: string[]; errno: string | null }>;
  expect(events.map((e) => [e.syscall, e.errno])).toEqual([
    ['waitid', null],
    ['wait4', null],
  ]);
  expect(events[0].args).toEqual(['P_PID', String(pid), '{si_code=CLD_EXITED, si_status=125}', 'WEXITED|WNOWAIT', 'NULL']);
  native().drainTrace();
});

test('spawn returns once the child has exec\'d kit-init (CLONE_VM|CLONE_VFORK): it never runs as a copy of kit', async () => {
  const devnull = openSync('/dev/null', 'r');
  const [ours, theirs] = native().socketpair(); // kit-init blocks reading its plan until `ours` closes
  const pid = native().spawn(SIG.CHLD, initPath(), [devnull, devnull, devnull, theirs]);
  closeSync(devnull);
  native().close(theirs);
  try {
    // No wait at all: already kit-init, not Node (a fork-like clone could still be running kit's copy here).
    expect(readlinkSync(`/proc/${pid}/exe`)).toBe(realpathSync(initPath()));
  } finally {
    native().close(ours);
  }
  // No plan (EOF): it exits 125, or SIGPIPE ends it first as it reports that read on the closed socket.
  expect([125, 'SIGPIPE']).toContain(Object.values(decodeStatus((await native().wait(pid)).status)).find((v) => v !== null));
  native().drainTrace();
});
