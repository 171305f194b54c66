import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerStats } from '../../../dist/core';
import { containerIdOf } from '../../support/cgroups';
import { guestKitRoot, kitSlow, kitSlowBackground, kitSlowJson } from './guest-kit';

/**
 * kit on a cgroup v2-only host, for real: cgroup2 at /sys/fs/cgroup, the
 * root delegating cpuset cpu io memory pids to its children as systemd does
 * (the guest's init writes that; kit never writes the root).
 */
const kr = guestKitRoot();
const ROOT = '/sys/fs/cgroup';
const KIT = join(ROOT, 'kit');
const ids: string[] = [];
/** The one detached container, removed here if its test failed before `kit rm` (each kit command costs seconds here). */
let detached: string | undefined;
// Nothing else runs in the guest: once a test's containers are gone, the last one out has removed kit/ too.
afterEach(() => expect({ kitParentLeft: existsSync(KIT) }).toEqual({ kitParentLeft: false }));
afterAll(() => {
  if (detached) kitSlow(['rm', '-f', detached], kr.env);
  expect(kitDirs().filter((d) => ids.includes(d))).toEqual([]);
  kr.cleanup();
});

type Event = { syscall: string; args: string[]; ret: number };
interface ChapterRun {
  trace: Event[];
  container: { stdout: string; stderr: string; exitCode: number | null; signal: string | null; notes: string[] };
  before: Array<{ probe: string; text: string }>;
  during: Array<{ probe: string; text: string }>;
  running: Array<{ probe: string; text: string }>;
  after: Array<{ probe: string; text: string }>;
  comparison?: { label: string; running: Array<{ probe: string; text: string }> };
  claims: Array<{ says: string; held: boolean }>;
}

const kitDirs = () => (existsSync(KIT) ? readdirSync(KIT, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name) : []);
const writes = (trace: Event[]) => trace.filter((e) => e.syscall === 'write').map((e) => `${JSON.parse(e.args[0])} ${JSON.parse(e.args[1])}`);
/** v1 names that must not appear in what a run on v2 shows (its trace, probes and notes). */
const V1_FILES = /cfs_quota_us|cfs_period_us|cpu\.shares|cpuacct|limit_in_bytes|memsw|oom_control|memory\.failcnt|\/tasks\b/;
/** The calls, files and values a run shows: the explanations beside them (why) may compare with v1. */
const shown = (r: ChapterRun) => JSON.stringify([r.trace.map((e) => [e.syscall, e.args]), r.before, r.during, r.running, r.after, r.container.notes, r.comparison ?? null]);

function chapter(id: string): ChapterRun {
  const r = kitSlowJson<ChapterRun>(['chapter', id], kr.env);
  ids.push(containerIdOf(r.trace));
  return r;
}

test('kit detects the v2-only layout: cgroup2fs at /sys/fs/cgroup, the controllers and those delegated to kit/', () => {
  const info = kitSlowJson<{ cgroupVersion: string }>(['info'], kr.env);
  const controllers = readFileSync(join(ROOT, 'cgroup.controllers'), 'utf8').trim();
  expect(controllers.split(' ')).toEqual(expect.arrayContaining(['cpu', 'io', 'memory', 'pids', 'cpuset']));
  expect(info.cgroupVersion).toBe(`2 (controllers: ${controllers}; delegated to kit/: cpuset cpu io memory pids)`);
});

test('cgroup chapter on v2: cpu.max holds "50000 100000", kit enables controllers only in its own kit/, the loop gets ~50% of a CPU', () => {
  const seen: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = chapter('cgroup');
    const id = containerIdOf(r.trace);
    const w = writes(r.trace);
    expect(w).toContain(`${KIT}/${id}/cpu.max 50000 100000`);
    expect(w).toContain(`${KIT}/cgroup.subtree_control +cpu +io +memory +pids`);
    expect(w.filter((l) => l.startsWith(`${ROOT}/cgroup.subtree_control`))).toEqual([]); // never the root kit does not own
    expect(r.before[0].text).toMatch(/\/sys\/fs\/cgroup is a cgroup2fs: cgroup v2/);
    expect(r.before[0].text).toMatch(/layout: v2; kit uses the v2 driver/);
    expect(r.during.find((p) => p.probe === 'cgroup-dir')!.text).toMatch(/\$ cat cpu.max\n50000 100000\n/);
    expect(shown(r)).not.toMatch(V1_FILES);
    expect(r.claims).toContainEqual({ says: 'the limit is one write: "50000 100000" into cpu.max (cgroup v2)', held: true });
    expect(r.running[0].text).toMatch(/^cpu.stat usage_usec: /);
    const percent = (text: string) => Number(/= (\d+)% of one CPU/.exec(text)![1]);
    const limited = percent(r.running[0].text);
    const unlimited = percent(r.comparison!.running[0].text);
    expect(limited).toBeLessThanOrEqual(65);
    seen.push(`${limited}% with the quota, ${unlimited}% without`);
    if (limited >= 35 && unlimited > 75) return;
  }
  throw new Error(`no run showed the quota against a free CPU: ${seen.join('; ')}`);
});

test('memory chapter on v2: past memory.max the OOM killer strikes, kit reports it from memory.events', () => {
  const r = chapter('memory');
  expect(r.container.signal).toBe('SIGKILL');
  expect(r.container.notes.join('\n')).toMatch(/OOM killer killed 1 process\(es\) that went over --memory 33554432 bytes \(32 MiB\) \(memory.events: oom_kill 1/);
  expect(r.during[0].text).toMatch(/\$ cat memory.max\n33554432\n/);
  expect(r.claims).toContainEqual({ says: 'the limit is one write: 33554432 bytes into memory.max (cgroup v2)', held: true });
  expect(shown(r)).not.toMatch(V1_FILES);
});

test('pids chapter on v2: a fork loop stops at pids.max 10, counted in pids.events', () => {
  const r = chapter('pids');
  const started = r.container.stdout.trim().split('\n').filter((l) => l.startsWith('started'));
  expect(started.length).toBeLessThan(10);
  expect(started.length).toBeGreaterThan(3);
  expect(r.container.notes.join('\n')).toMatch(/fork\(\) was refused \d+ time\(s\) at --pids-limit 10 \(pids.events: max \d+\)/);
  expect(r.during[0].text).toMatch(/\$ cat pids.max\n10\n/);
  expect(shown(r)).not.toMatch(V1_FILES);
});

test('cgroupns chapter on v2: inside, /proc/self/cgroup is "0::/"; the host sees 0::/kit/<id>', () => {
  const r = chapter('cgroupns');
  const id = containerIdOf(r.trace);
  expect(r.container.stdout.trim()).toBe('0::/');
  expect(r.during[0].text).toContain(`0::/kit/${id}`);
  expect(shown(r)).not.toMatch(V1_FILES);
});

test('kit run -d with --cpuset-cpus, --cpu-shares, --memory, --pids-limit: the v2 files hold them, kit stats reads them, rm removes kit/<id>', () => {
  const name = `g${process.pid}`;
  const run = kitSlow(['run', '-d', '--name', name, '--network', 'none', '--cpu-quota', '50000', '--cpuset-cpus', '1', '--cpu-shares', '512', '--memory', '64m', '--pids-limit', '20', 'base', 'sh', '-c', 'while :; do :; done'], kr.env);
  expect(run).toMatchObject({ status: 0 });
  const id = run.stdout.trim();
  ids.push(id);
  detached = name;
  const file = (f: string) => readFileSync(join(KIT, id, f), 'utf8').trim();
  expect({ cpuMax: file('cpu.max'), cpuset: file('cpuset.cpus'), weight: file('cpu.weight'), memory: file('memory.max'), pids: file('pids.max') })
    .toEqual({ cpuMax: '50000 100000', cpuset: '1', weight: String(1 + Math.floor(((512 - 2) * 9999) / 262142)), memory: String(64 << 20), pids: '20' });
  const pid = Number(file('cgroup.procs').split('\n')[0]);
  expect(readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(/Cpus_allowed_list:\s+1\n/);

  const samples: number[] = [];
  let row: ContainerStats | undefined;
  for (let i = 0; i < 3; i++) {
    row = kitSlowJson<ContainerStats[]>(['stats', name], kr.env)[0];
    samples.push(row.cpuPercent!);
    if (row.cpuPercent! >= 30 && row.cpuPercent! <= 70) break;
  }
  expect(row).toMatchObject({ id, cgroup: 'v2', memoryLimit: 64 << 20, memoryLimited: true, pids: 1, pidsLimit: 20 });
  expect(row!.memoryUsage).toBeGreaterThan(0);
  expect({ samples, within: samples.some((s) => s >= 30 && s <= 70) }).toEqual({ samples, within: true });

  expect(kitSlow(['rm', '-f', name], kr.env).status).toBe(0);
  detached = undefined;
  expect(existsSync(join(KIT, id))).toBe(false);
});

test('three kits at once: each makes and removes its own kit/<id> under the shared kit/, and the last one out removes kit/', async () => {
  const runs = [0, 1, 2].map((n) => kitSlowBackground(['run', '--network', 'none', '--memory', '64m', '--pids-limit', '20', 'base', 'sh', '-c', `sleep ${n}; echo ${n}`], kr.env));
  const results = await Promise.all(runs.map((r) => r.done));
  results.forEach((r, n) => expect({ n, ...r }).toMatchObject({ n, status: 0, stdout: `${n}\n` }));
  expect(kitDirs()).toEqual([]);
}, 900_000);

test('a controller the root does not delegate: one line naming it and the fix, exit 125 (docker run\'s own failure), no cgroup made', () => {
  // Take pids back from the root's children, as a host without Delegate= would have it (kit/ is gone: afterEach).
  const control = join(ROOT, 'cgroup.subtree_control');
  writeFileSync(control, '-pids');
  try {
    const r = kitSlow(['run', '--network', 'none', '--pids-limit', '10', 'base', 'true'], kr.env);
    expect(r.status).toBe(125);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0].startsWith(`kit: --pids-limit needs the pids controller, which is not delegated to kit: ${control} enables cpuset cpu io memory;`)).toBe(true);
    expect(r.stderr).toContain(`echo +pids > ${control}`);
    expect(kitDirs()).toEqual([]);
    // Without the flag, kit runs with what it has: cpu, io and memory.
    expect(kitSlow(['run', '--network', 'none', '--memory', '64m', 'base', 'true'], kr.env)).toMatchObject({ status: 0 });
  } finally {
    writeFileSync(control, '+pids');
  }
});
