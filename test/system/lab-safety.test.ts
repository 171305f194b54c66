import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkLab, findLab } from '../../labs';
import { requireRoot, tempKitRoot } from '../support/kit';

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
