import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import chalk from '../../core/trace/colors';
import { colorLevel } from '../../core/trace/colors';
import { hintFor } from '../../core/trace/hints';
import { renderEvent } from '../../core/trace/render';
import type { TraceEvent } from '../../core/trace/event';

const clone: TraceEvent = {
  syscall: 'clone', args: ['CLONE_NEWNS|CLONE_NEWPID|SIGCHLD'], ret: 4242, errno: null, errnoMessage: null,
  durationUs: 80, side: 'host', step: null, pending: false, why: 'the child becomes PID 1',
};
const failedExec: TraceEvent = {
  ...clone, syscall: 'execve', args: ['"nope"', '["nope"]', '[/* 1 vars */]'], ret: -1, errno: 'ENOENT',
  errnoMessage: 'No such file or directory', side: 'container', why: undefined,
};

describe('without colour', () => {
  const level = chalk.level;
  beforeAll(() => (chalk.level = 0));
  afterAll(() => (chalk.level = level));

  test('a call renders like strace, tagged with its side, with its why under it', () => {
    expect(renderEvent(clone)).toBe('[host] clone(CLONE_NEWNS|CLONE_NEWPID|SIGCHLD) = 4242\n       # the child becomes PID 1');
  });

  test('a failure shows -1, the errno name and message, and the hint', () => {
    const text = renderEvent(failedExec);
    expect(text.split('\n')[0]).toBe('[ctr ] execve("nope", ["nope"], [/* 1 vars */]) = -1 ENOENT (No such file or directory)');
    expect(text).toContain("       hint: no such file in the container's root filesystem");
  });

  test('--explain adds the longer text, wrapped and indented', () => {
    const lines = renderEvent(clone, { explain: { clone: 'word '.repeat(40).trim() } }).split('\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines.slice(2)) expect(l.length).toBeLessThanOrEqual(7 + 2 + 88);
  });
});

test('hints: the most specific one wins, a generic one covers other calls, none for success', () => {
  expect(hintFor({ ...clone, ret: -1, errno: 'EPERM' })).toContain('CAP_SYS_ADMIN');
  expect(hintFor({ ...clone, syscall: 'sethostname', ret: -1, errno: 'EPERM' })).toBe('this needs root: run kit with sudo');
  expect(hintFor({ ...clone, ret: -1, errno: 'EXDEV' })).toBeUndefined();
  expect(hintFor(clone)).toBeUndefined();
});

test('NO_COLOR turns colour off even on a terminal; FORCE_COLOR wins over it', () => {
  expect(colorLevel({ NO_COLOR: '1' }, 2)).toBe(0);
  expect(colorLevel({ NO_COLOR: '' }, 2)).toBe(2); // no-color.org: only a non-empty value counts
  expect(colorLevel({ NO_COLOR: '1', FORCE_COLOR: '1' }, 1)).toBe(1);
  expect(colorLevel({}, 3)).toBe(3);
});

/** The built renderer in a fresh process, so chalk reads the environment as kit would. */
function renderIn(env: NodeJS.ProcessEnv): string {
  const core = join(__dirname, '..', '..', 'dist', 'core');
  const script = `process.stdout.write(require(${JSON.stringify(core)}).renderEvent(${JSON.stringify(failedExec)}))`;
  const clean = { ...process.env };
  delete clean.NO_COLOR;
  delete clean.FORCE_COLOR;
  const r = spawnSync(process.execPath, ['-e', script], { env: { ...clean, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

test('FORCE_COLOR=1 colours the trace, piped output and FORCE_COLOR=0 do not', () => {
  expect(renderIn({ FORCE_COLOR: '1' })).toMatch(/\x1b\[31m-1 ENOENT/); // the failure in red
  expect(renderIn({})).not.toContain('\x1b[');
  expect(renderIn({ FORCE_COLOR: '0' })).not.toContain('\x1b[');
});

test('NO_COLOR=1 on a real terminal prints no colour codes', () => {
  const core = join(__dirname, '..', '..', 'dist', 'core');
  const script = `process.stdout.write(require(${JSON.stringify(core)}).renderEvent(${JSON.stringify(failedExec)}))`;
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
  delete env.FORCE_COLOR;
  delete env.CI; // a learner's terminal: chalk turns colour off by itself under CI=true
  const run = (extra: NodeJS.ProcessEnv) =>
    spawnSync('script', ['-qec', `${process.execPath} -e '${script.replace(/'/g, `'\\''`)}'`, '/dev/null'], { env: { ...env, ...extra }, encoding: 'utf8' }).stdout;
  expect(run({})).toContain('\x1b['); // the terminal alone turns colour on
  expect(run({ NO_COLOR: '1' })).not.toContain('\x1b[');
});
