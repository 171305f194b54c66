import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { runContainer, defaultSpec, kitPaths, type RunResult } from '../../dist/core';
import { chooseDriver, detectHost } from '../../dist/core/cgroups/detect';
import { createCgroup, removeCgroup } from '../../dist/core/cgroups/lifecycle';
import { tracedIo } from '../../dist/core/cgroups/traced-io';
import { TraceRecorder } from '../../dist/core/trace/recorder';
import type { Resources } from '../../core/cgroups/limits';
import { cgroupDirsOf, containerIdOf } from '../support/cgroups';
import { eventually, hostSnapshot, kit, kitBackground, kitJson, requireRoot, tempKitRoot } from '../support/kit';

requireRoot();
const kr = tempKitRoot();
const paths = kitPaths(kr.env);
const UNIFIED = '/sys/fs/cgroup/unified';
const ids: string[] = [];

afterEach(() => expect(cgroupDirsOf(ids)).toEqual([]));
afterAll(() => {
  expect(hostSnapshot(kr.root).containers).toEqual([]);
  kr.cleanup();
});

/** A container in new pid and mount namespaces only: no cgroup namespace, so /proc/self/cgroup shows the host's names. */
async function run(command: string[], resources: Resources): Promise<RunResult> {
  const result = await runContainer({ ...defaultSpec(command), namespaces: ['pid', 'mount'], resources }, { paths });
  ids.push(result.id);
  return result;
}

test('detection: this host is hybrid, v1 controllers under tmpfs plus a cgroup2 at unified/ without them; kit picks v1', () => {
  const host = detectHost();
  expect(host).toMatchObject({ layout: 'hybrid', rootFs: 'tmpfs', v2Root: UNIFIED });
  expect(host.v2Controllers).toEqual(readFileSync(join(UNIFIED, 'cgroup.controllers'), 'utf8').split(/\s+/).filter(Boolean));
  for (const c of ['cpu', 'memory', 'pids']) expect(host.v2Controllers).not.toContain(c);
  expect(host.v1Controllers).toEqual(expect.arrayContaining(['cpu', 'cpuacct', 'memory', 'pids', 'cpuset']));
  expect(host.v1Controllers).not.toContain('systemd');
  expect(chooseDriver(host).version).toBe('v1');
  expect(chooseDriver(host, 'v2').root).toBe(UNIFIED);
});

test("the kernel's own bounds: the largest quota it takes is accepted, one more is refused by kit first", async () => {
  const r = await run(['true'], { cpuQuota: 2 ** 44 - 1 });
  expect(r.exitCode).toBe(0);
  await expect(run(['true'], { cpuQuota: 2 ** 44 })).rejects.toThrow(/--cpu-quota "17592186044416" is not valid: it takes a value from 1000 to 17592186044415/);
});

test('cgroupns: inside, /proc/self/cgroup shows "/" while the host sees kit/<id>', () => {
  const r = kitJson<{ trace: Array<{ syscall: string; args: string[]; side: string }>; container: { stdout: string }; during: Array<{ text: string }> }>(['chapter', 'cgroupns'], kr.env);
  const id = containerIdOf(r.trace);
  ids.push(id);
  const inside = r.container.stdout.trim().split('\n');
  expect(inside.length).toBeGreaterThan(1);
  for (const line of inside) expect(line).toMatch(/:\/$/);
  expect(r.during[0].text).toContain(`cpu:/kit/${id}`);
  expect(r.during[0].text).toContain(`memory:/kit/${id}`);
  const calls = r.trace.map((e) => `${e.syscall}:${e.args[0]}`);
  const joined = calls.findIndex((c) => c.includes(`/kit/${id}/tasks`)); // v1: kit-init joins by itself
  expect(joined).toBeGreaterThan(-1);
  expect(joined).toBeLessThan(calls.indexOf('unshare:CLONE_NEWCGROUP'));
});

test('every flag on this v1 host: the files hold the values before the command runs, and the limits apply', async () => {
  const files: Record<string, string> = {};
  const knobs = ['cpu/cpu.cfs_quota_us', 'cpu/cpu.cfs_period_us', 'cpu/cpu.shares', 'memory/memory.limit_in_bytes', 'memory/memory.memsw.limit_in_bytes', 'pids/pids.max', 'cpuset/cpuset.cpus', 'cpuset/cpuset.mems'];
  const resources: Resources = { cpus: 0.5, cpuShares: 512, memory: 64 << 20, memorySwap: 128 << 20, pidsLimit: 20, cpusetCpus: '1' };
  const result = await runContainer({ ...defaultSpec(['grep', 'Cpus_allowed_list', '/proc/self/status']), namespaces: ['pid', 'mount'], resources }, {
    paths,
    // held at its first instruction: kit-init joined its cgroups (its first steps) and the command has not run
    onExec: async (pid) => {
      const id = /:cpu(,cpuacct)?:\/kit\/(\w+)/.exec(readFileSync(`/proc/${pid}/cgroup`, 'utf8'))![2];
      for (const knob of knobs) files[knob] = readFileSync(join('/sys/fs/cgroup', knob.replace('/', `/kit/${id}/`)), 'utf8').trim();
    },
  });
  ids.push(result.id);
  expect(files).toEqual({
    'cpu/cpu.cfs_quota_us': '50000',
    'cpu/cpu.cfs_period_us': '100000',
    'cpu/cpu.shares': '512',
    'memory/memory.limit_in_bytes': String(64 << 20),
    'memory/memory.memsw.limit_in_bytes': String(128 << 20),
    'pids/pids.max': '20',
    'cpuset/cpuset.cpus': '1',
    'cpuset/cpuset.mems': readFileSync('/sys/fs/cgroup/cpuset/cpuset.mems', 'utf8').trim(),
  });
  expect(result.stdout).toMatch(/Cpus_allowed_list:\s+1\n/);
});

test('v1: kit-init joins each hierarchy itself, "0" into tasks, before any other step; Docker\'s devices rules hold the command', async () => {
  const script = 'cat /proc/self/cgroup; mknod /dev/kitblk b 7 0 && head -c 1 /dev/kitblk; echo "open: $?"';
  const r = await runContainer({ ...defaultSpec(['sh', '-c', script]), image: 'base', namespaces: ['pid', 'mount'], resources: {} }, { paths });
  ids.push(r.id);
  const steps = r.trace.filter((e) => e.side === 'container' && e.step !== null);
  // The plan's first steps: one write of "0" into tasks per hierarchy, nothing before them.
  const joins = steps.slice(0, steps.findIndex((e) => !/\/tasks"$/.test(e.args[0] ?? '')));
  for (const e of joins) {
    expect([e.syscall, e.args[1], e.errno]).toEqual(['write', '"0"', null]);
    expect(e.args[0]).toMatch(new RegExp(`^"/sys/fs/cgroup/[\\w,]+/kit/${r.id}/tasks"$`));
  }
  const joined = new Set(joins.map((e) => realpathSync(e.args[0].slice(1, -1).replace(/\/kit\/.*/, ''))));
  for (const controller of ['cpu', 'cpuacct', 'devices', 'freezer', 'memory', 'pids']) expect(joined).toContain(realpathSync(`/sys/fs/cgroup/${controller}`));
  expect(r.trace.some((e) => e.side === 'host' && /cgroup\.procs"$/.test(e.args[0] ?? ''))).toBe(false);
  // The command (kit-init's child by exec) is in every hierarchy kit made, the devices one too.
  for (const controller of ['cpu', 'memory', 'pids', 'devices', 'freezer']) expect(r.stdout).toMatch(new RegExp(`^\\d+:[\\w,]*\\b${controller}\\b[\\w,]*:/kit/${r.id}$`, 'm'));
  // mknod is allowed (c/b *:* m, as Docker), opening a block device no rule allows is not.
  expect(r.stderr).toMatch(/kitblk: Operation not permitted/);
  expect(r.stdout).toMatch(/open: 1/);
});

test('in a new user namespace the host moves the child (cgroup.procs): root there is not root over the host\'s cgroup files', async () => {
  const r = await runContainer({ ...defaultSpec(['cat', '/proc/self/cgroup']), namespaces: ['user', 'pid', 'mount'], resources: {} }, { paths });
  ids.push(r.id);
  expect(r.exitCode).toBe(0);
  expect(r.trace.some((e) => e.side === 'host' && e.syscall === 'write' && e.args[0] === `"/sys/fs/cgroup/pids/kit/${r.id}/cgroup.procs"`)).toBe(true);
  expect(r.trace.some((e) => /\/tasks"$/.test(e.args[0] ?? ''))).toBe(false);
  expect(r.stdout).toMatch(new RegExp(`^\\d+:pids:/kit/${r.id}$`, 'm'));
});

interface LimitChapter {
  trace: Array<{ syscall: string; args: string[]; side: string }>;
  container: { stdout: string; stderr: string; exitCode: number | null; signal: string | null; notes: string[] };
  during: Array<{ text: string }>;
}

test('memory chapter: dd allocating past --memory 32m is OOM-killed and kit says so', () => {
  const r = kitJson<LimitChapter>(['chapter', 'memory'], kr.env);
  ids.push(containerIdOf(r.trace));
  expect(r.container.signal).toBe('SIGKILL');
  expect(r.container.notes.join('\n')).toMatch(/OOM killer killed 1 process\(es\) that went over --memory 33554432 bytes \(32 MiB\) \(memory.oom_control: oom_kill 1[;)]/);
  expect(r.container.notes.join('\n')).not.toMatch(/hit 0 times/); // beside an OOM kill, a zero failcnt would contradict it
  expect(r.during[0].text).toMatch(/\$ cat memory.limit_in_bytes\n33554432\n/);
  expect(kit(['chapter', 'memory', '--no-trace'], kr.env).stdout).toMatch(/\(killed by SIGKILL\)\n\s+kit: out of memory: the kernel's OOM killer/);
});

test('memory: under the limit, nothing is killed and kit reports nothing', async () => {
  const r = await run(['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=1M', 'count=1'], { memory: 32 * 1024 * 1024 });
  expect(r.exitCode).toBe(0);
  expect(r.notes).toEqual([]);
});

test('pids chapter: a fork loop stops at --pids-limit 10 and the host can still fork', () => {
  const r = kitJson<LimitChapter>(['chapter', 'pids'], kr.env);
  ids.push(containerIdOf(r.trace));
  const started = r.container.stdout.trim().split('\n').filter((l) => l.startsWith('started'));
  expect(started.length).toBeLessThan(10); // the shell itself is one of the 10
  expect(started.length).toBeGreaterThan(3);
  expect(r.container.stderr).toMatch(/[Cc]annot fork|Resource temporarily unavailable/);
  expect(r.container.notes.join('\n')).toMatch(/fork\(\) was refused \d+ time\(s\) at --pids-limit 10 \(pids.events: max \d+\)/);
  const host = spawnSync('sh', ['-c', 'for i in $(seq 30); do true & done; wait; echo ok'], { encoding: 'utf8' });
  expect(host.stdout.trim()).toBe('ok');
});

test('bad input is refused before any cgroup directory exists; a failed command leaves none either', async () => {
  const calls: string[] = [];
  const refused = (resources: Resources) => runContainer({ ...defaultSpec(['true']), resources }, { paths, onEvent: (e) => calls.push(e.syscall) });
  await expect(refused({ cpuQuota: 500 })).rejects.toThrow(/--cpu-quota "500" is not valid/);
  await expect(refused({ driver: 'v2', pidsLimit: 5 })).rejects.toThrow(/--pids-limit needs the pids controller, which the cgroup v2 tree at \/sys\/fs\/cgroup\/unified does not offer/);
  expect(calls).toEqual([]); // not one mkdir, not even a clone
  expect(hostSnapshot(kr.root).containers).toEqual([]);
  const r = await run(['no-such-command'], { cpuQuota: 50000 });
  expect(r.exitCode).toBe(127);
});

test('--cgroup-driver v2 on this hybrid host: the container joins kit/<id> in the unified tree', async () => {
  const r = await run(['cat', '/proc/self/cgroup'], { driver: 'v2' });
  expect(r.stdout).toContain(`0::/kit/${r.id}`);
  expect(r.trace.some((e) => e.syscall === 'write' && e.args[0] === `"${UNIFIED}/kit/${r.id}/cgroup.procs"`)).toBe(true);
});

test('--cgroup-driver v2: the last container out removes the shared kit/ parent from the unified tree', async () => {
  const parent = join(UNIFIED, 'kit');
  const r = await run(['true'], { driver: 'v2' });
  expect(existsSync(join(parent, r.id))).toBe(false);
  // Other kit processes may use kit/ at this moment: then it holds their cgroups. Never left empty.
  await eventually(() => {
    try {
      return readdirSync(parent, { withFileTypes: true }).some((e) => e.isDirectory());
    } catch {
      return true; // gone
    }
  });
});

test('v2 operations without controllers, for real on the unified tree: cgroup.procs, cgroup.freeze, cgroup.kill', async () => {
  const io = tracedIo(new TraceRecorder());
  const id = `t${randomBytes(5).toString('hex')}`;
  ids.push(id);
  const dir = { path: join(UNIFIED, 'kit', id), parent: join(UNIFIED, 'kit'), sharedParent: true, controllers: [], parentWrites: [] };
  createCgroup(io, dir);
  const sleeper = spawn('sleep', ['30']);
  try {
    expect(io.write(join(dir.path, 'cgroup.procs'), String(sleeper.pid))).toBeGreaterThan(0);
    expect(readFileSync(`/proc/${sleeper.pid}/cgroup`, 'utf8')).toContain(`0::/kit/${id}`);
    expect(io.write(join(dir.path, 'cgroup.freeze'), '1')).toBe(1);
    await eventually(() => readFileSync(join(dir.path, 'cgroup.events'), 'utf8').includes('frozen 1'));
    expect(io.write(join(dir.path, 'cgroup.freeze'), '0')).toBe(1);
    const exited = new Promise((resolve) => sleeper.on('exit', (_code, signal) => resolve(signal)));
    expect(removeCgroup(io, dir.path, dir.parent)).toBeUndefined(); // cgroup.kill, then rmdir
    expect(await exited).toBe('SIGKILL');
    expect(existsSync(dir.path)).toBe(false);
  } finally {
    sleeper.kill('SIGKILL');
  }
});

test('concurrent kit processes share the kit/ parent: creating and removing it races safely', async () => {
  const parent = join(UNIFIED, `kit-race-${randomBytes(4).toString('hex')}`);
  const script = `
    const { createCgroup, removeCgroup } = require(${JSON.stringify(join(__dirname, '..', '..', 'dist', 'core', 'cgroups', 'lifecycle'))});
    const { tracedIo } = require(${JSON.stringify(join(__dirname, '..', '..', 'dist', 'core', 'cgroups', 'traced-io'))});
    const { TraceRecorder } = require(${JSON.stringify(join(__dirname, '..', '..', 'dist', 'core', 'trace', 'recorder'))});
    const io = tracedIo(new TraceRecorder());
    for (let i = 0; i < 300; i++) {
      const path = ${JSON.stringify(parent)} + '/' + process.pid + '-' + i;
      createCgroup(io, { path, parent: ${JSON.stringify(parent)}, sharedParent: true, controllers: [], parentWrites: [] });
      const problem = removeCgroup(io, path, ${JSON.stringify(parent)});
      if (problem) { console.error(problem); process.exit(1); }
    }`;
  const workers = Array.from({ length: 4 }, () => new Promise<number | null>((resolve) => spawn(process.execPath, ['-e', script], { stdio: 'inherit' }).on('exit', resolve)));
  expect(await Promise.all(workers)).toEqual([0, 0, 0, 0]);
  expect(existsSync(parent)).toBe(false);
});

test('kit killed with SIGKILL mid-run: the next kit process replays the journal and removes the cgroup', async () => {
  const child = kitBackground(['chapter', 'cgroup'], kr.env);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let dirs: string[] = [];
  await eventually(() => {
    dirs = readdirSafe('/sys/fs/cgroup/cpu/kit').filter((id) => hostSnapshot(kr.root).containers.includes(id)).map((id) => `/sys/fs/cgroup/cpu/kit/${id}`);
    return dirs.length > 0 && readFileSync(join(dirs[0], 'cgroup.procs'), 'utf8').trim() !== '';
  });
  ids.push(...dirs.map((d) => d.split('/').pop()!));
  child.kill('SIGKILL');
  await exited;
  expect(existsSync(dirs[0])).toBe(true); // nobody cleaned up yet
  kitJson(['chapter', 'cgroupns'], kr.env);
  expect(existsSync(dirs[0])).toBe(false);
});

test('concurrent kit chapters each get and remove their own cgroup under the shared parents', async () => {
  const runs = Array.from({ length: 3 }, () => new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, '..', '..', 'bin', 'run.js'), 'chapter', 'cgroupns', '--json'], { env: kr.env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${out}`))));
  }));
  for (const out of await Promise.all(runs)) ids.push(containerIdOf(JSON.parse(out).trace));
  expect(new Set(ids.slice(-3)).size).toBe(3);
});

function readdirSafe(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}
