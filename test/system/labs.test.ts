import { spawnSync } from 'node:child_process';
import { chownSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkLab, findLab, loadLabs, type CheckReport } from '../../labs';
import { requireRoot, tempKitRoot } from '../support/kit';

/**
 * Every lab, run for real: the reference solution passes its checker, the
 * untouched starter fails with the lab's first hint, and each deliberately
 * wrong solution (labs/<id>/wrong-*.ts) gets its own message. Each report's
 * host-clean check must hold, and the repository is left as it was.
 */
requireRoot();
const repo = join(__dirname, '..', '..');
const kr = tempKitRoot();
process.env.KIT_ROOT = kr.root;
const home = mkdtempSync(join(tmpdir(), 'kit-lab-home-'));
process.env.KIT_LABS_HOME = home;
/** What git sees changed in the labs' own folder, where a checker or `kit lab start` could write by mistake. */
const gitStatus = () => spawnSync('git', ['status', '--porcelain', '--untracked-files=all', '--', 'labs'], { cwd: repo, encoding: 'utf8' }).stdout;
const statusBefore = gitStatus();

afterAll(() => {
  kr.cleanup();
  rmSync(home, { recursive: true, force: true });
});

/** What each wrong solution must be told: the failing check's explanation. */
const WRONG: Record<string, RegExp> = {
  'host/wrong-unjournaled.ts': /left on the host: .*kit-lab-.*-marker/,
  'uts/wrong-no-newuts.ts': /sethostname\("kit-lab"\) without CLONE_NEWUTS would rename the host/,
  'pid/wrong-no-newns.ts': /mount\("proc", "\/proc"\) without CLONE_NEWNS .*you are still in the host's mount namespace/,
  'pid/wrong-no-proc.ts': /no mount of proc in the trace/,
  'mount/wrong-shared.ts': /your tmpfs appeared in the host's mount table/,
  'ipc/wrong-newuts.ts': /clone\(\) was called with CLONE_NEWUTS\|SIGCHLD: no CLONE_NEWIPC/,
  'chroot/wrong-no-chdir.ts': /its working directory is .*outside the new root/,
  'rootfs/wrong-no-bind.ts': /pivot_root\("\.", "\.oldroot"\) = -1 E(INVAL|BUSY).*the new root is not a mount point.*bind it onto itself first/,
  'cgroup/wrong-no-join.ts': /the container's process is in \/, not in given\.cgroup: no write to cgroup\.procs in the trace/,
  'limits/wrong-pids-not-joined.ts': /it is in \S+ for memory and \/ for pids/,
  'layers/wrong-no-workdir.ts': /mount\("overlay", .*= -1 EINVAL.*a writable overlay needs lowerdir, upperdir and workdir/,
  'net/wrong-dnat-address.ts': /the DNAT rule sends port \d+ to 10\.199\.\d+\.\d+:80, but the container's address is 10\.199\.\d+\.\d+:80/,
  'user/wrong-no-gid-map.ts': /no write to gid_map in the trace: gid 0 is not mapped/,
  'final/wrong-no-cgroup.ts': /it is in \/ \(cpu\)/,
};

/** The final lab imports the student's earlier labs: a workspace holding the reference solutions as their lab.ts. */
function fileFor(lab: string, name: string): string {
  if (lab !== 'final') return join(repo, 'labs', lab, name);
  for (const earlier of ['uts', 'pid', 'ipc', 'rootfs', 'cgroup']) {
    mkdirSync(join(home, 'kit-labs', earlier), { recursive: true });
    copyFileSync(join(repo, 'labs', earlier, 'solution.ts'), join(home, 'kit-labs', earlier, 'lab.ts'));
  }
  mkdirSync(join(home, 'kit-labs', 'final'), { recursive: true });
  const file = join(home, 'kit-labs', 'final', `${name}`);
  copyFileSync(join(repo, 'labs', 'final', name), file);
  return file;
}

function summary(report: CheckReport): string {
  return JSON.stringify({ failure: report.failure, checks: report.checks, error: report.run.error, seen: report.run.seen, stderr: report.run.stderr.slice(0, 500) }, null, 1);
}

const labs = loadLabs().map((l) => l.id);

test('every lab in curriculum order has a README, starter, solution, hints and at least one wrong solution', () => {
  expect(labs).toEqual(['host', 'uts', 'pid', 'mount', 'ipc', 'chroot', 'rootfs', 'user', 'cgroup', 'limits', 'layers', 'net', 'final']);
  for (const id of labs) {
    const files = readdirSync(join(repo, 'labs', id));
    expect(files).toEqual(expect.arrayContaining(['README.md', 'starter.ts', 'solution.ts', 'check.ts']));
    expect(files.filter((f) => f.startsWith('wrong-')).length).toBeGreaterThan(0);
    expect(findLab(id).hints.length).toBeGreaterThan(0);
  }
});

describe.each(labs)('lab %s', (id) => {
  const lab = findLab(id);

  test('the reference solution passes every check, and leaves the host clean', async () => {
    const report = await checkLab(lab, fileFor(id, 'solution.ts'), { echo: () => undefined });
    expect({ passed: report.passed, why: report.passed ? '' : summary(report) }).toEqual({ passed: true, why: '' });
    expect(report.run.leftovers).toEqual([]);
  }, 90000);

  test('the untouched starter fails, with the first hint', async () => {
    const report = await checkLab(lab, fileFor(id, 'starter.ts'), { echo: () => undefined });
    expect(report.passed).toBe(false);
    expect({ hint: report.failure?.hint, why: summary(report) }).toEqual({ hint: lab.hints[0], why: expect.anything() });
    expect(report.run.leftovers).toEqual([]);
  }, 90000);

  const wrongs = readdirSync(join(repo, 'labs', id)).filter((f) => f.startsWith('wrong-'));
  test.each(wrongs)('%s gets its specific message', async (name) => {
    const report = await checkLab(lab, fileFor(id, name), { echo: () => undefined });
    try {
      expect(report.passed).toBe(false);
      expect(report.failure?.why ?? summary(report)).toMatch(WRONG[`${id}/${name}`]);
    } finally {
      // The one wrong solution that leaks on purpose: its marker is the lesson, removed here.
      for (const left of report.run.leftovers) if (left.startsWith('/tmp/kit-lab-')) unlinkSync(left);
    }
    if (name !== 'wrong-unjournaled.ts') expect(report.run.leftovers).toEqual([]);
  }, 90000);
});

test('the user lab runs without root, as its chapter does: an ordinary user maps their own uid', () => {
  const userHome = mkdtempSync(join(tmpdir(), 'kit-lab-user-'));
  chownSync(userHome, 65534, 65534);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: userHome, KIT_LABS_HOME: userHome, NO_COLOR: '1' };
  const argv = ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, join(repo, 'bin', 'run.js'), 'lab', 'check', 'user', '--file', join(repo, 'labs', 'user', 'solution.ts'), '--json'];
  const r = spawnSync('setpriv', argv, { env, encoding: 'utf8', timeout: 60000 });
  rmSync(userHome, { recursive: true, force: true });
  const report = JSON.parse(r.stdout) as CheckReport;
  expect({ status: r.status, why: report.passed ? '' : summary(report) }).toEqual({ status: 0, why: '' });
  expect(report.run.given).toMatchObject({ hostUid: 65534, count: 1, setgroups: 'deny' });
  // Without root, a lab that truly needs it says so, and why (test/unit/lab-rootless.test.ts checks the others run).
  const cgroup = spawnSync('setpriv', [...argv.slice(0, 5), 'lab', 'check', 'cgroup'], { env, encoding: 'utf8' });
  expect(cgroup.status).not.toBe(0);
  expect(cgroup.stderr).toMatch(/needs root: .*cgroup tree.*sudo kit lab check cgroup/);
}, 90000);

test("the labs never modify the repository's files", () => {
  expect(gitStatus()).toBe(statusBefore);
});
