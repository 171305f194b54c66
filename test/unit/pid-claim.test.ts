import pid from '../../chapters/pid';
import { checkClaims, type ChapterResultData } from '../../core/curriculum/claims';

const run = (stdout: string): ChapterResultData => ({ before: [], during: [], running: [], after: [], trace: [], container: { stdout, stderr: '', exitCode: 0, signal: null, notes: [] } });
const inside = (stdout: string) => checkClaims(pid.claims ?? [], run(stdout)).find((c) => c.says.startsWith('inside, ps -ef'))!.held;
const HEAD = 'UID          PID    PPID  C STIME TTY          TIME CMD';

test("pid: 'its own command as PID 1, nothing of the host' holds for the README's own -- sh -c 'echo ...; ps -ef', not for the host's tree", () => {
  expect(inside([HEAD, 'root           1       0  0 04:25 ?        00:00:00 ps -ef', ''].join('\n'))).toBe(true);
  expect(inside(['my pid is 1', HEAD, 'root           1       0  0 04:25 ?        00:00:00 sh -c echo my pid is $$; ps -ef', 'root           2       1  0 04:25 ?        00:00:00 ps -ef', ''].join('\n'))).toBe(true);
  expect(inside([HEAD, 'root           1       0  0 04:25 ?        00:00:00 sh -c sleep 1 & ps -ef', 'root           2       1  0 04:25 ?        00:00:00 sleep 1', 'root           3       1  0 04:25 ?        00:00:00 ps -ef'].join('\n'))).toBe(true);
  // The host's ps: init and kthreadd both have PPID 0, and the command is not PID 1.
  expect(inside([HEAD, 'root           1       0  0 Nov30 ?        00:00:01 /sbin/init', 'root           2       0  0 Nov30 ?        00:00:00 [kthreadd]', 'root        4472    4400  0 04:25 ?        00:00:00 ps -ef'].join('\n'))).toBe(false);
  expect(inside('hello\n')).toBe(false);
});
