import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderReport } from '../../bin/render/lab';
import type { CheckReport } from '../../labs';

const repo = join(__dirname, '..', '..');
let home = '';
beforeAll(() => (home = mkdtempSync(join(tmpdir(), 'kit-lab-width-'))));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** A lab command as a student types it, at COLUMNS=60. */
function kit(args: string[]): string {
  const env = { ...process.env, HOME: home, KIT_LABS_HOME: join(home, 'kit-labs'), KIT_ROOT: join(home, 'kit'), COLUMNS: '60', NO_COLOR: '1' };
  const r = spawnSync(process.execPath, [join(repo, 'bin', 'run.js'), ...args], { encoding: 'utf8', env });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}
const wide = (text: string) => text.split('\n').filter((l) => l.length > 60);

test('the labs flow at COLUMNS=60: kit lab, start, every hint, reset fit the terminal and keep their words', () => {
  const list = kit(['lab']);
  expect(wide(list)).toEqual([]);
  expect(list.replace(/\s+/g, ' ')).toContain('Start one with `kit lab start ID`, check it with `kit lab check ID` (with sudo where marked: those change the host itself).');
  const start = kit(['lab', 'start', 'pid']);
  expect(wide(start)).toEqual([]);
  expect(start.replace(/\s+/g, ' ')).toContain('read README.md next to it, and watch the chapter: kit chapter pid');
  let hints = '';
  for (let i = 0; i < 6 && !hints.includes('That was the last hint'); i++) hints = kit(['lab', 'hint', 'pid']);
  expect(hints.replace(/\s+/g, ' ')).toContain('That was the last hint. After a check, `kit lab solution pid` shows the reference solution.');
  expect(wide(hints)).toEqual([]);
  const reset = kit(['lab', 'reset', 'pid']);
  expect(wide(reset)).toEqual([]);
  expect(reset).toContain('(your old one:');
});

test('kit lab check --trace fits the width: the trace is fitted like a chapter\'s', () => {
  const event = {
    syscall: 'mount', args: ['"proc"', `"/tmp/${'a'.repeat(80)}/proc"`, '"proc"', 'MS_NOSUID|MS_NODEV|MS_NOEXEC', 'NULL'], ret: 0, errno: null, errnoMessage: null,
    durationUs: 10, side: 'container', step: 1, pending: false, why: 'a procfs of the container\'s own PID namespace, long enough to need wrapping',
  };
  const report = {
    lab: 'pid', passed: false, timedOut: false,
    checks: [{ name: 'the container has its own pid namespace (/proc/<pid>/ns/pid differs from the host\'s)', pass: false }],
    failure: { check: 'x', why: 'clone() was called without CLONE_NEWPID, so it shares the host\'s pid namespace', hint: 'cloneFlags: CLONE.NEWPID', hintNumber: 1 },
    run: { trace: [event] },
  } as unknown as CheckReport;
  expect(wide(renderReport(report, { trace: true, width: 60 }))).toEqual([]);
  expect(wide(renderReport(report, { trace: false, width: 60 }))).toEqual([]);
});
