import { isNativeSyscallError, native } from '../../core/native';
import { TraceRecorder } from '../../core/trace/recorder';

/**
 * The real addon, with calls that fail the same way with or without root: a
 * failed syscall is a JS error naming the call and its errno, and the trace
 * still has the event.
 */
test('a failed syscall throws an error carrying the syscall name and errno', () => {
  let thrown: unknown;
  try {
    native().rmdir('/nonexistent-kit-dir/x');
  } catch (err) {
    thrown = err;
  }
  expect(isNativeSyscallError(thrown)).toBe(true);
  expect(thrown).toMatchObject({ code: 'ENOENT', errno: 2, syscall: 'rmdir', message: 'rmdir: ENOENT (No such file or directory)' });
  native().drainTrace();
});

test('an export that makes several calls names the one that failed', () => {
  expect(() => native().writeFile('/nonexistent-kit-dir/knob', '1')).toThrow(expect.objectContaining({ syscall: 'write', code: 'ENOENT' }));
  native().drainTrace();
});

test('a bad argument is a TypeError, not a syscall error', () => {
  const rmdir = native().rmdir as unknown as (path: unknown) => number;
  let thrown: unknown;
  try {
    rmdir(42);
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toMatchObject({ code: 'StringExpected' });
  expect(isNativeSyscallError(thrown)).toBe(false);
});

test('TraceRecorder: check() throws the failed event with its errno, host() returns -errno', () => {
  const trace = new TraceRecorder();
  expect(trace.host('tolerated', (n) => n.rmdir('/nonexistent-kit-dir/x'))).toBe(-2);
  expect(() => trace.check('required', (n) => n.mkdir('/nonexistent-kit-dir/x/y', 0o755))).toThrow('mkdir("/nonexistent-kit-dir/x/y", 0755) failed: ENOENT');
  expect(trace.events.map((e) => [e.syscall, e.errno, e.why])).toEqual([
    ['rmdir', 'ENOENT', 'tolerated'],
    ['mkdir', 'ENOENT', 'required'],
  ]);
});

test('wait() is a promise: waiting for a pid that is not our child fails with ECHILD and its own trace event', async () => {
  const result = await native().wait(1);
  expect(result).toMatchObject({ ret: -1, errno: 10 });
  expect(JSON.parse(result.trace)).toEqual([expect.objectContaining({ syscall: 'waitid', errno: 'ECHILD' })]);
});
