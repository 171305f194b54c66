import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkLab, findLab } from '../../labs';
import { requireRoot, running, tempKitRoot } from '../support/kit';

/**
 * A student's code that dies or hangs midway leaves the host as it was:
 * the checker reaps what a killed run journaled, and a time limit stops a
 * run that never ends. Each test also looks for itself (links, rules,
 * cgroups, the lab's scratch dir), not only at the checker's own report.
 */
requireRoot();
const fixtures = join(__dirname, '..', 'fixtures', 'labs');
const kr = tempKitRoot();
process.env.KIT_ROOT = kr.root;
afterAll(() => kr.cleanup());

function hostHolds(id: string): string[] {
  const short = id.slice(0, 8);
  const held: string[] = [];
  if ((spawnSync('ip', ['-o', 'link'], { encoding: 'utf8' }).stdout ?? '').includes(short)) held.push('a link');
  if ((spawnSync('iptables', ['-w', '-t', 'nat', '-S'], { encoding: 'utf8' }).stdout ?? '').includes(short)) held.push('a nat rule');
  if (existsSync(join(kr.root, 'run', `kit-lab-${id}`))) held.push("the lab's scratch dir");
  if (existsSync(join(kr.root, 'run', 'containers', id))) held.push("kit's state dir");
  for (const controller of ['cpu', 'unified']) if (existsSync(`/sys/fs/cgroup/${controller}/kit-lab-${id}`)) held.push(`a ${controller} cgroup`);
  return held;
}

test('killed with SIGKILL after making a veth and a DNAT rule: the check fails, and nothing is left', async () => {
  const report = await checkLab(findLab('net'), join(fixtures, 'net-killed-midway.ts'), { echo: () => undefined });
  expect(report.passed).toBe(false);
  expect(report.failure?.why).toMatch(/your code was stopped \(SIGKILL\) before it finished/);
  const id = report.run.given.tag && String(report.run.given.tag).replace('kit-lab-', '');
  expect(id).toMatch(/^[0-9a-f]{12}$/);
  expect(report.run.leftovers).toEqual([]);
  expect(hostHolds(String(id))).toEqual([]);
}, 90000);

test('a run that never ends is stopped at the time limit, and its cgroup is removed', async () => {
  const report = await checkLab(findLab('cgroup'), join(fixtures, 'cgroup-hangs.ts'), { echo: () => undefined, timeoutSeconds: 4 });
  expect(report.timedOut).toBe(true);
  expect(report.passed).toBe(false);
  expect(report.run.error).toMatch(/stopped after 4 s/);
  const id = String(report.run.given.cgroup).split('kit-lab-')[1];
  expect(report.run.leftovers).toEqual([]);
  expect(hostHolds(id)).toEqual([]);
}, 90000);

test('Ctrl-C on `kit lab check` stops the run and leaves the host clean', async () => {
  const home = mkdtempSync(join(tmpdir(), 'kit-lab-home-'));
  const bin = join(__dirname, '..', '..', 'bin', 'run.js');
  const child = spawn(process.execPath, [bin, 'lab', 'check', 'cgroup', '--file', join(fixtures, 'cgroup-hangs.ts'), '--json', '--timeout', '60'], {
    env: { ...process.env, KIT_LABS_HOME: home, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: the terminal's Ctrl-C reaches the whole group
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  const labCgroups = () => spawnSync('sh', ['-c', 'ls -d /sys/fs/cgroup/cpu/kit-lab-* /sys/fs/cgroup/unified/kit-lab-* 2>/dev/null'], { encoding: 'utf8' }).stdout.trim().split('\n');
  const before = labCgroups();
  const cgroupMade = () => labCgroups().some((dir) => dir && !before.includes(dir));
  for (let i = 0; i < 100 && !cgroupMade(); i++) await new Promise((r) => setTimeout(r, 100));
  process.kill(-child.pid!, 'SIGINT');
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  rmSync(home, { recursive: true, force: true });
  expect(status).toBe(1);
  const report = JSON.parse(out) as { passed: boolean; run: { error: string; leftovers: string[]; given: { cgroup: string } } };
  expect(report.passed).toBe(false);
  expect(report.run.error).toMatch(/stopped|interrupted/);
  expect(report.run.leftovers).toEqual([]);
  expect(hostHolds(report.run.given.cgroup.split('kit-lab-')[1])).toEqual([]);
}, 90000);

/** The pids whose parent is `pid`. */
function children(pid: number): number[] {
  return spawnSync('ps', ['--ppid', String(pid), '-o', 'pid='], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean).map(Number);
}

/** What an unprivileged user's check keeps under their home (kit's dirs, progress) and the mounts naming it. */
function homeSnapshot(home: string) {
  const files = spawnSync('find', [home], { encoding: 'utf8' }).stdout.trim().split('\n').sort();
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(home)).length;
  return { files, mounts };
}

test.each([
  ['slow', 'uts-slow.ts', 'its runner stops the run and cleans up'],
  ['never-ending', 'uts-hangs.ts', 'its runner leaves after its grace, and the next kit command reaps what the run made'],
])('rootless: `kit lab check` of %s student code killed with SIGKILL midway (an unprivileged user): %s; nothing is left', async (_kind, fixture) => {
  const uid = 65534;
  const home = mkdtempSync(join(tmpdir(), 'kit-lab-rootless-kill-'));
  chownSync(home, uid, uid);
  const env = { PATH: process.env.PATH, HOME: home, KIT_LABS_HOME: home, NO_COLOR: '1' };
  const asUser = [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', process.execPath, join(__dirname, '..', '..', 'bin', 'run.js')];
  const check = (file: string) => spawn('setpriv', [...asUser, 'lab', 'check', 'uts', '--file', file, '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: tmpdir() });
  const made: number[] = [];
  try {
    // A whole check first, so that what a check keeps (kit's dirs under the home) is in the snapshot.
    const first = check(join(__dirname, '..', '..', 'labs', 'uts', 'solution.ts'));
    expect(await new Promise((resolve) => first.on('close', resolve))).toBe(0);
    expect(spawnSync('setpriv', [...asUser, 'ps', '-a'], { env, cwd: tmpdir() }).status).toBe(0); // and what `kit ps` keeps
    const before = homeSnapshot(home);

    const child = check(join(fixtures, fixture)); // setpriv exec's node: child.pid is `kit lab check` itself
    const closed = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
    // Midway: the runner has cloned the container (kit-init, waiting for its plan) while the student's slow attach step runs.
    let runner = 0;
    let container: number[] = [];
    for (let i = 0; i < 400 && container.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
      [runner] = children(child.pid!);
      container = runner ? children(runner) : [];
    }
    expect(container.length).toBeGreaterThan(0);
    made.push(runner, ...container);
    // The runner's arguments: lab, file, and the result file in the checker's scratch dir.
    const scratch = dirname(readFileSync(`/proc/${runner}/cmdline`, 'utf8').split('\0').filter(Boolean).at(-1)!);
    expect(scratch).toMatch(/\/kit-lab-[^/]+$/);
    expect(existsSync(scratch)).toBe(true);
    child.kill('SIGKILL');
    expect(await closed).toBe('SIGKILL');
    const gone = () => made.every((pid) => !running(pid)) && !existsSync(scratch);
    for (let i = 0; i < 300 && !gone(); i++) await new Promise((r) => setTimeout(r, 50));
    // Code that never ends kept the run from undoing itself: its journal is the next kit command's (any command reaps).
    if (fixture === 'uts-hangs.ts') expect(spawnSync('setpriv', [...asUser, 'ps', '-a'], { env, cwd: tmpdir() }).status).toBe(0);
    expect(made.filter(running)).toEqual([]);
    expect(existsSync(scratch)).toBe(false);
    expect(homeSnapshot(home)).toEqual(before);
  } finally {
    for (const pid of made.filter(running)) process.kill(pid, 'SIGKILL'); // a failed test's leftovers, by pid
    rmSync(home, { recursive: true, force: true });
  }
}, 120000);
