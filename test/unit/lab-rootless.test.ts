import { spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findLab, type CheckReport } from '../../labs';

/**
 * `kit lab check` for a student without sudo: the namespace labs run the
 * student's code inside a user namespace that maps their own uid to 0, and
 * pass or fail exactly as with root; the labs that change the host itself
 * say, in one line, that they need root and why. As nobody (65534) when the
 * tests run as root, as whoever runs them otherwise (never root).
 */
const repo = join(__dirname, '..', '..');
const asRoot = process.getuid?.() === 0;
const uid = asRoot ? 65534 : (process.getuid?.() ?? 0);
const home = mkdtempSync(join(tmpdir(), 'kit-lab-rootless-'));
if (asRoot) chownSync(home, uid, uid);
afterAll(() => rmSync(home, { recursive: true, force: true }));

function check(lab: string, file: string, json = true) {
  const cli = [process.execPath, join(repo, 'bin', 'run.js'), 'lab', 'check', lab, '--file', join(repo, 'labs', lab, file), ...(json ? ['--json'] : [])];
  const argv = asRoot ? ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', ...cli] : cli;
  // HOME and KIT_LABS_HOME the student's; kit's own paths follow from HOME (no KIT_ROOT).
  const env = { PATH: process.env.PATH, HOME: home, KIT_LABS_HOME: home, NO_COLOR: '1' };
  const r = spawnSync(argv[0], argv.slice(1), { env, encoding: 'utf8', timeout: 60000, cwd: tmpdir() });
  let report: CheckReport | undefined;
  try {
    report = JSON.parse(r.stdout) as CheckReport;
  } catch {
    report = undefined;
  }
  return { status: r.status, stderr: r.stderr, report };
}

function summary(report: CheckReport | undefined): string {
  return JSON.stringify(report && { failure: report.failure, checks: report.checks, error: report.run.error, seen: report.run.seen }, null, 1);
}

test('the uts reference solution passes without root, in a user namespace mapping only the student\'s uid', () => {
  expect(uid).not.toBe(0);
  const { status, report, stderr } = check('uts', 'solution.ts');
  expect({ status, why: report?.passed ? '' : summary(report) || stderr }).toEqual({ status: 0, why: '' });
  expect(report!.run.viaUserNamespace).toBe(true);
  // The map kit wrote puts the namespace's root at the student's own uid: the run was theirs, not root's.
  const uidMap = report!.run.trace.find((e) => e.syscall === 'write' && e.args[0]?.includes('/uid_map'));
  expect(uidMap?.args.join(' ')).toContain(`0 ${uid} 1`);
  expect(report!.run.seen).toMatchObject({ hostname: 'kit-lab', namespaces: { uts: true } });
  expect(report!.run.seen.hostHostname).not.toBe('kit-lab');
  expect(report!.run.leftovers).toEqual([]);
});

test('the untouched uts starter fails without root, pointing at the missing clone flag', () => {
  const { status, report } = check('uts', 'starter.ts');
  expect(status).toBe(1);
  expect(report?.failure).toMatchObject({ hint: findLab('uts').hints[0], why: expect.stringMatching(/no CLONE_NEWUTS, so it shares the host's uts namespace/) });
  expect(report!.run.leftovers).toEqual([]);
});

test('sethostname without CLONE_NEWUTS is refused without root too', () => {
  const { status, report } = check('uts', 'wrong-no-newuts.ts');
  expect(status).toBe(1);
  expect(report?.failure?.why).toMatch(/sethostname\("kit-lab"\) without CLONE_NEWUTS would rename the host/);
});

/** The other labs that run without root: each reference solution passes, and one wrong solution gets its message. */
const ROOTLESS: Array<[string, string, RegExp]> = [
  ['host', 'wrong-unjournaled.ts', /left on the host: .*kit-lab-.*-marker/],
  ['pid', 'wrong-no-proc.ts', /no mount of proc in the trace/],
  ['mount', 'wrong-shared.ts', /your tmpfs on given\.target is shared: .*peer group/],
  ['ipc', 'wrong-newuts.ts', /clone\(\) was called with CLONE_NEWUTS\|CLONE_NEWUSER\|SIGCHLD: no CLONE_NEWIPC/],
  ['chroot', 'wrong-no-chdir.ts', /its working directory is .*outside the new root/],
  ['rootfs', 'wrong-no-bind.ts', /pivot_root\("\.", "\.oldroot"\) = -1 E(INVAL|BUSY).*bind it onto itself first/],
];

test.each(ROOTLESS)('lab %s without root: the reference solution passes, %s gets its message', (lab, wrong, message) => {
  const good = check(lab, 'solution.ts');
  expect({ status: good.status, why: good.report?.passed ? '' : summary(good.report) || good.stderr }).toEqual({ status: 0, why: '' });
  expect(good.report!.run.leftovers).toEqual([]);
  const bad = check(lab, wrong);
  try {
    expect(bad.status).toBe(1);
    expect(bad.report?.failure?.why).toMatch(message);
  } finally {
    // The host lab's wrong solution leaks its marker on purpose (the lesson): removed here.
    for (const left of bad.report?.run.leftovers ?? []) if (left.startsWith('/tmp/kit-lab-')) rmSync(left, { force: true });
  }
}, 60000);

test.each(['cgroup', 'limits', 'net', 'layers', 'final'])('lab %s says in one line that it needs root, and why', (lab) => {
  const { status, stderr } = check(lab, 'solution.ts', false);
  expect(status).toBe(1);
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`kit lab check ${lab} needs root: .*(cgroup|network|mount).*sudo kit lab check ${lab}`));
});
