import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerStats } from '../../dist/core';
import { renderStats } from '../../bin/render/stats';
import { cgroupDirsOf } from '../support/cgroups';
import { startDetachedProcess } from '../support/detached';
import { eventually, hostSnapshot, kit, kitBackground, kitJson, requireRoot, tempKitRoot } from '../support/kit';

requireRoot();
const kr = tempKitRoot();
const before = hostSnapshot(kr.root);
const ids: string[] = [];
afterAll(() => {
  for (const id of ids) kit(['rm', '-f', id], kr.env); // what a failed test left running
  expect(cgroupDirsOf(ids)).toEqual([]);
  expect(hostSnapshot(kr.root)).toEqual(before);
  kr.cleanup();
});

const V1 = '/sys/fs/cgroup';
const BUSY = ['sh', '-c', 'while :; do :; done'];
let unique = 0;

/** `kit run -d` as a user types it; returns the container's id. */
function runDetached(flags: string[], command: string[]): { id: string; name: string } {
  const name = `st${process.pid}-${unique++}`;
  const r = kit(['run', '-d', '--name', name, ...flags, 'base', ...command], kr.env);
  if (r.status !== 0) throw new Error(`kit run -d exited ${r.status}: ${r.stderr}`);
  const id = r.stdout.trim();
  ids.push(id);
  return { id, name };
}

function stats(): ContainerStats[] {
  return kitJson<ContainerStats[]>(['stats'], kr.env);
}

function statsOf(id: string): ContainerStats {
  const row = stats().find((s) => s.id === id);
  if (!row) throw new Error(`kit stats has no row for ${id}`);
  return row;
}

const file = (controller: string, id: string, name: string) => readFileSync(join(V1, controller, 'kit', id, name), 'utf8').trim();

/**
 * kit stats's CPU % of a busy loop, sampled until it is in [low, high] or
 * three samples missed: another test may hold both CPUs for a second, and
 * the loop then gets less than its quota allows. Every sample is reported.
 */
function cpuPercentWithin(id: string, low: number, high: number): { ok: boolean; samples: number[] } {
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    samples.push(statsOf(id).cpuPercent!);
    if (samples[i] >= low && samples[i] <= high) return { ok: true, samples };
  }
  return { ok: false, samples };
}

test('kit stats with no running container prints only the header, and [] with --json', () => {
  const empty = tempKitRoot();
  try {
    const r = kit(['stats'], empty.env);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['CONTAINER ID   NAME   CPU %   MEM USAGE / LIMIT   MEM %   NET I/O   PIDS']);
    expect(kitJson(['stats'], empty.env)).toEqual([]);
  } finally {
    empty.cleanup();
  }
});

/** The first `count` lines `kit stats --watch --json` prints, then Ctrl-C. */
async function watchLines(count: number): Promise<ContainerStats[][]> {
  const watch = kitBackground(['stats', '--watch', '--json'], kr.env);
  let out = '';
  watch.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const closed = new Promise((resolve) => watch.on('close', resolve));
  try {
    await eventually(() => out.split('\n').length > count, 15000);
  } finally {
    watch.kill('SIGINT');
    await closed;
  }
  return out.split('\n').slice(0, count).map((line) => JSON.parse(line) as ContainerStats[]);
}

test('kit stats on v1: ~50% CPU under --cpu-quota 50000, memory and pids as the cgroup files hold them', async () => {
  // The largest CPU weight, so that on a busy CI machine the quota, not the other tests, bounds it.
  const { id, name } = runDetached(['--cpu-quota', '50000', '--cpu-shares', '262144', '--memory', '64m', '--pids-limit', '20'], BUSY);
  const row = statsOf(id);
  expect(row).toMatchObject({ name, cgroup: 'v1', memoryLimit: 64 * 1024 * 1024, memoryLimited: true });
  expect(row.memoryLimit).toBe(Number(file('memory', id, 'memory.limit_in_bytes')));
  expect(row.pidsLimit).toBe(Number(file('pids', id, 'pids.max')));
  expect(row.pidsLimit).toBe(20);
  expect(row.pids).toBe(Number(file('pids', id, 'pids.current')));
  expect(row.pids).toBe(1); // sh alone: the loop forks nothing
  expect(row.memoryUsage).toBeGreaterThan(0);
  expect(row.memoryUsage).toBeLessThanOrEqual(row.memoryLimit!);
  expect(row.memoryPercent).toBeCloseTo((row.memoryUsage! / row.memoryLimit!) * 100, 1);
  expect(cpuPercentWithin(id, 30, 70)).toMatchObject({ ok: true });

  const table = kit(['stats'], kr.env).stdout.split('\n');
  const line = table.find((l) => l.startsWith(id));
  expect(line).toMatch(new RegExp(`^${id}\\s+${name}\\s+\\d+\\.\\d\\d%\\s+[\\d.]+[KM]iB / 64MiB\\s+\\d+\\.\\d\\d%\\s+[\\d.]+k?B / [\\d.]+k?B\\s+1 / 20$`));
  // --watch samples again every second, until Ctrl-C.
  for (const rows of await watchLines(2)) expect(rows.find((r) => r.id === id)).toMatchObject({ memoryLimit: 64 * 1024 * 1024, pids: 1 });

  expect(kit(['rm', '-f', id], kr.env).status).toBe(0);
  expect(cgroupDirsOf([id])).toEqual([]);
  expect(stats().map((s) => s.id)).not.toContain(id);
});

test("kit exec joins the container's cgroups: inside it reads \"/\" as PID 1 does, the host sees it in kit/<id>, pids counts it", async () => {
  const { id, name } = runDetached(['--pids-limit', '20'], ['sleep', '60']);
  const cgroupOf = (pid: string) => kit(['exec', name, 'cat', `/proc/${pid}/cgroup`], kr.env).stdout;
  const own = cgroupOf('self');
  // The container has its own cgroup namespace: its root is kit/<id>, so
  // "/" means "in the container's cgroup" (the host's cgroups would read as /../..).
  expect(own).toBe(cgroupOf('1'));
  for (const controller of ['cpu', 'cpuacct', 'memory', 'pids']) expect(own).toMatch(new RegExp(`^\\d+:${controller}:/$`, 'm'));

  // Long enough to outlast a slow `kit stats` on a busy machine; Ctrl-C ends it below.
  const exec = kitBackground(['exec', name, 'sleep', '60'], kr.env);
  const procs = () => file('pids', id, 'cgroup.procs').split('\n').filter(Boolean);
  try {
    await eventually(() => procs().some((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8') === 'sleep\x0060\x00'));
    const sleeper = procs().find((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8') === 'sleep\x0060\x00')!;
    const seenByHost = readFileSync(`/proc/${sleeper}/cgroup`, 'utf8');
    for (const controller of ['cpu', 'cpuacct', 'memory', 'pids']) expect(seenByHost).toMatch(new RegExp(`^\\d+:${controller}:/kit/${id}$`, 'm'));
    // PID 1, the exec's sleep and kit-init waiting for it (it forked to enter the PID namespace).
    expect(statsOf(id).pids).toBeGreaterThanOrEqual(3);
  } finally {
    exec.kill('SIGINT');
    await new Promise((resolve) => exec.on('close', resolve));
  }
  // pids.current drops when the exec's processes are reaped, a moment after they leave cgroup.procs.
  await eventually(() => procs().length === 1 && file('pids', id, 'pids.current') === '1');
  expect(statsOf(id).pids).toBe(1);
  expect(kit(['rm', '-f', id], kr.env).status).toBe(0);
  expect(cgroupDirsOf([id])).toEqual([]);
});

test('kit stats on v2 (--cgroup-driver v2, the unified tree here has no controllers): CPU from cpu.stat, no memory or pids files', async () => {
  const { id } = runDetached(['--cgroup-driver', 'v2'], BUSY);
  const unified = join(V1, 'unified', 'kit', id);
  const usage = () => Number(/^usage_usec (\d+)$/m.exec(readFileSync(join(unified, 'cpu.stat'), 'utf8'))![1]);
  const start = usage();
  const row = statsOf(id);
  const used = usage() - start;
  expect(row).toMatchObject({ cgroup: 'v2', memoryUsage: null, memoryLimited: false, pids: null, pidsLimit: null });
  // No quota: the loop may take a whole CPU. What kit reports is what cpu.stat counted over its window (~1 s).
  expect(row.cpuPercent).toBeGreaterThan(0);
  expect(row.cpuPercent! / 100).toBeLessThanOrEqual(used / 1e6 + 0.1);
  expect(kit(['exec', id, 'cat', '/proc/self/cgroup'], kr.env).stdout).toMatch(/^0::\/$/m);
  expect(kit(['rm', '-f', id], kr.env).status).toBe(0);
  expect(cgroupDirsOf([id])).toEqual([]);
});

test('kit stats NAME: only the containers named; an unknown one is one line and exit 1', () => {
  const [a, b] = [runDetached([], ['sleep', '60']), runDetached([], ['sleep', '60'])];
  expect(stats().map((s) => s.name).sort()).toEqual([a.name, b.name].sort());
  expect(kitJson<ContainerStats[]>(['stats', b.name], kr.env).map((s) => s.id)).toEqual([b.id]);
  const unknown = kit(['stats', a.name, 'nope'], kr.env);
  expect(unknown.status).toBe(1);
  expect(unknown.stdout).toBe('');
  expect(unknown.stderr.trim()).toBe('kit: no such container: nope; `kit ps -a` lists the containers');
  for (const c of [a, b]) expect(kit(['rm', '-f', c.id], kr.env).status).toBe(0);
});

test("NET I/O: what the container's eth0 received and sent, as /proc/<pid>/net/dev counts it, a ping to its gateway included", () => {
  const { id, name } = runDetached([], ['sleep', '60']);
  const eth0 = () => {
    const pid = statsOf(id).pid;
    const line = readFileSync(`/proc/${pid}/net/dev`, 'utf8').split('\n').find((l) => l.trim().startsWith('eth0:'))!;
    const fields = line.split(':')[1].trim().split(/\s+/).map(Number);
    return { rx: fields[0], tx: fields[8] };
  };
  // Something to count: two echo requests to its gateway on kit0 (and the ARP exchange before them).
  expect(kit(['exec', name, 'sh', '-c', 'ping -c 2 -W 2 $(ip route | awk "/default/ {print \\$3}")'], kr.env).stdout).toContain('2 packets transmitted');
  const before = eth0();
  const row = statsOf(id);
  const after = eth0();
  expect(before.tx).toBeGreaterThanOrEqual(2 * 98); // ICMP 64 + IPv4 20 + Ethernet 14 bytes each
  expect(row.netTxBytes).toBeGreaterThanOrEqual(before.tx);
  expect(row.netTxBytes).toBeLessThanOrEqual(after.tx);
  expect(row.netRxBytes).toBeGreaterThanOrEqual(before.rx);
  expect(row.netRxBytes).toBeLessThanOrEqual(after.rx);
  expect(kit(['rm', '-f', id], kr.env).status).toBe(0);
});

test('a container kit gave no cgroup of its own (a spec without resources) is listed with nulls, not the host\'s numbers', async () => {
  const name = `st${process.pid}-${unique++}`;
  const r = await startDetachedProcess({ command: ['sleep', '30'], env: ['PATH=/bin:/usr/bin'], namespaces: ['mount', 'pid'], name }, kr.env);
  if (!r.started) throw new Error(`did not start: ${JSON.stringify(r)}`);
  ids.push(r.started.id);
  expect(statsOf(r.started.id)).toEqual({ id: r.started.id, name, pid: r.started.pid, cgroup: null, cpuPercent: null, memoryUsage: null, memoryLimit: null, memoryLimited: null, memoryPercent: null, pids: null, pidsLimit: null, netRxBytes: null, netTxBytes: null });
  expect(kit(['stats'], kr.env).stdout).toMatch(new RegExp(`^${r.started.id}\\s+${name}\\s+--\\s+--\\s+--\\s+--\\s+--$`, 'm'));
  expect(kit(['rm', '-f', r.started.id], kr.env).status).toBe(0);
});

test('the table: docker stats columns, binary memory sizes, decimal I/O sizes, "--" for a container without a cgroup of its own', () => {
  const base = { id: 'abc', name: 'web', pid: 1, cgroup: 'v1' as const, memoryLimited: true, pidsLimit: null, netRxBytes: 1049, netTxBytes: 648 };
  const text = renderStats([
    { ...base, cpuPercent: 49.8, memoryUsage: 1597000, memoryLimit: 64 * 1024 * 1024, memoryPercent: 2.38, pids: 3 },
    { ...base, id: 'def', name: 'bare', cgroup: null, cpuPercent: null, memoryUsage: null, memoryLimit: null, memoryLimited: null, memoryPercent: null, pids: null, netRxBytes: null, netTxBytes: null },
  ]);
  expect(text.split('\n')).toEqual([
    'CONTAINER ID   NAME   CPU %    MEM USAGE / LIMIT   MEM %   NET I/O         PIDS',
    'abc            web    49.80%   1.523MiB / 64MiB    2.38%   1.05kB / 648B   3',
    'def            bare   --       --                  --      --              --',
  ]);
});
