import { copyFileSync, existsSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ContainerSpec } from '../../dist/core';
import { isAlive } from '../../core/host/process';
import { namespaceMembers, startDetachedProcess } from '../support/detached';
import { alive, cleanKitRoot, eventually, hostSnapshot, kit, kitJson, running } from '../support/kit';

interface PsRow {
  id: string;
  name: string;
  command: string[];
  state: string;
  pid: number;
  ownerPid: number;
  stateDir: string;
}
interface ExecJson {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  trace: Array<{ syscall: string; args: string[]; side: string; ret: number }>;
}

const kr = cleanKitRoot(() => {
  for (const c of ps()) kit(['rm', '-f', c.id], kr.env); // what a failed test left running
});

const PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
let unique = 0;

function spec(command: string[], extra: Partial<ContainerSpec> = {}): ContainerSpec {
  return { command, env: [PATH], namespaces: ['mount', 'uts', 'ipc', 'pid'], name: `c${process.pid}-${unique++}`, ...extra };
}

/** Start detached, check it started, and return its ps row. */
async function start(s: ContainerSpec): Promise<PsRow> {
  const r = await startDetachedProcess(s, kr.env);
  if (!r.started) throw new Error(`did not start: ${JSON.stringify(r)}`);
  return ps().find((c) => c.id === r.started!.id)!;
}

/** `kit exec --json`: kit's flags go before the container, as with docker exec. */
function execJson(...args: string[]): ExecJson {
  const r = kit(['exec', '--json', ...args], kr.env);
  if (r.status !== 0) throw new Error(`kit exec ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return JSON.parse(r.stdout) as ExecJson;
}

function ps(): PsRow[] {
  return kitJson<PsRow[]>(['ps', '-a'], kr.env);
}

type Footprint = ReturnType<typeof namespaceMembers>;

/** The container is gone from kit, its state, its processes, its shim. */
async function expectGone(c: PsRow, members: Footprint): Promise<void> {
  expect(ps().map((r) => r.id)).not.toContain(c.id);
  expect(existsSync(c.stateDir)).toBe(false);
  expect(alive(c.pid)).toBe(false);
  await eventually(() => !running(c.ownerPid)); // the shim exits right after removing the state dir
  expect(members.filter(isAlive)).toEqual([]); // the same processes: pid and start time
}

test('a detached container keeps running after the kit that started it exits, owned by its shim', async () => {
  const r = await startDetachedProcess(spec(['sleep', '30']), kr.env);
  expect(r.status).toBe(0);
  const c = ps().find((row) => row.id === r.started!.id)!;
  expect(c).toMatchObject({ state: 'running', pid: r.started!.pid, command: ['sleep', '30'] });
  expect(readFileSync(`/proc/${c.pid}/cmdline`, 'utf8')).toBe('sleep\u000030\u0000');
  const ppid = Number(readFileSync(`/proc/${c.pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
  expect(ppid).toBe(c.ownerPid);
  expect(readFileSync(`/proc/${c.ownerPid}/cmdline`, 'utf8')).toContain(`kit shim ${c.id}`);
  expect(JSON.parse(readFileSync(join(c.stateDir, 'state.json'), 'utf8'))).toMatchObject({ id: c.id, pid: c.pid });
  expect(kit(['rm', '-f', c.id], kr.env).status).toBe(0);
});

test('kit ps shows id, command, status, pid and name like docker ps', async () => {
  const c = await start(spec(['sleep', '30']));
  const text = kit(['ps'], kr.env).stdout.split('\n');
  expect(text[0]).toMatch(/^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+PID\s+NAMES$/);
  const row = text.find((l) => l.startsWith(c.id))!;
  expect(row).toMatch(new RegExp(`^${c.id}\\s+-\\s+"sleep 30"\\s+\\d+ seconds? ago\\s+Up \\d+ seconds?\\s+${c.pid}\\s+${c.name}$`));
  expect(kit(['rm', '-f', c.name], kr.env).status).toBe(0);
});

test('kit logs shows what the container wrote, stdout and stderr each on its own stream', async () => {
  const c = await start(spec(['sh', '-c', 'echo hello from inside; echo warning >&2; exec sleep 30']));
  await eventually(() => kit(['logs', c.name], kr.env).stderr === 'warning\n');
  const r = kit(['logs', c.name], kr.env);
  expect(r).toMatchObject({ status: 0, stdout: 'hello from inside\n', stderr: 'warning\n' });
  expect(kitJson(['logs', c.name], kr.env)).toMatchObject({ stdout: 'hello from inside\n', stderr: 'warning\n' });
  expect(kit(['rm', '-f', c.name], kr.env).status).toBe(0);
});

test('kit logs -f follows the output until the container ends, to its last line', async () => {
  // Kept after it exits (as kit run -d keeps it): ps finds it even if it ended first.
  const c = await start(spec(['sh', '-c', 'echo one; sleep 3; echo two >&2; sleep 0.5; echo three'], { keepLayer: true }));
  const r = kit(['logs', '-f', c.name], kr.env);
  expect(r).toMatchObject({ status: 0, stdout: 'one\nthree\n', stderr: 'two\n' });
  expect(existsSync(c.stateDir)).toBe(false); // it returned because the container ended
  expect(kit(['rm', c.name], kr.env).status).toBe(0);
});

test("kit exec runs inside the container's namespaces: its hostname, its PID namespace, its processes", async () => {
  const c = await start(spec(['sleep', '30'], { hostname: 'web-inside' }));
  const exec = execJson(c.name, 'hostname');
  expect(exec.stdout).toBe('web-inside\n');
  const calls = exec.trace.map((e) => `${e.side}:${e.syscall}(${e.args.join(', ')})`);
  expect(calls).toContain('host:clone(SIGCHLD)'); // no namespace created: they are joined
  expect(calls).toContain(`container:setns(open("/proc/${c.pid}/ns/pid"), CLONE_NEWPID)`);
  expect(calls.indexOf(`container:setns(open("/proc/${c.pid}/ns/mnt"), CLONE_NEWNS)`)).toBeLessThan(calls.indexOf('container:fork()'));
  expect(hostname()).not.toBe('web-inside');
  const procs = execJson(c.name, 'ps', '-eo', 'pid,args').stdout.trim().split('\n').slice(1);
  expect(procs[0]).toMatch(/^\s*1 sleep 30$/);
  expect(procs).toHaveLength(2); // sleep and ps itself: nothing of the host
  const ns = ['pid', 'mnt', 'uts', 'ipc'].map((kind) => readlinkSync(`/proc/${c.pid}/ns/${kind}`));
  const joined = execJson(c.name, 'readlink', ...['pid', 'mnt', 'uts', 'ipc'].map((kind) => `/proc/self/ns/${kind}`)).stdout;
  expect(joined).toBe(ns.map((n) => `${n}\n`).join(''));
  expect(ns[0]).not.toBe(readlinkSync('/proc/self/ns/pid'));
  const viaPrefix = execJson(c.id.slice(0, 5), 'hostname');
  expect(viaPrefix.stdout).toBe('web-inside\n');
  const fp = namespaceMembers(c.pid);
  expect(fp.map((m) => m.pid)).toEqual([c.pid]); // no kit-init or command of an exec left behind
  expect(kit(['rm', '-f', c.name], kr.env).status).toBe(0);
  await expectGone(c, fp);
});

test("kit exec passes on the command's exit code and output; failures are one line", async () => {
  const c = await start(spec(['sleep', '30']));
  const r = kit(['exec', c.name, 'sh', '-c', 'echo out; exit 3'], kr.env);
  expect(r).toMatchObject({ status: 3, stdout: 'out\n' });
  const missing = kit(['exec', c.name, 'no-such-command'], kr.env);
  expect(missing.status).toBe(127);
  expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  expect(missing.stderr).toMatch(/execve\("no-such-command".*ENOENT/);
  const unknown = kit(['exec', 'no-such-container', 'true'], kr.env);
  expect(unknown.status).toBe(1);
  expect(unknown.stderr.trim()).toBe('kit: no such container: no-such-container; `kit ps -a` lists the containers');
  expect(kit(['rm', '-f', c.name], kr.env).status).toBe(0);
});

test("kit exec sees the container's own root: ls / of a container that chroot'ed into a rootfs lists the rootfs", async () => {
  const rootfs = join(kr.root, 'rootfs');
  mkdirSync(join(rootfs, 'bin'), { recursive: true });
  copyFileSync('/bin/busybox', join(rootfs, 'bin', 'busybox'));
  for (const tool of ['sh', 'ls', 'sleep']) symlinkSync('busybox', join(rootfs, 'bin', tool));
  writeFileSync(join(rootfs, 'only-in-the-rootfs'), '');
  const chrooted = await start(spec(['chroot', rootfs, '/bin/sleep', '30']));
  expect(execJson(chrooted.name, 'ls', '/').stdout.split('\n').filter(Boolean)).toEqual(['bin', 'only-in-the-rootfs']);
  const hostTree = await start(spec(['sleep', '30']));
  expect(execJson(hostTree.name, 'ls', '/').stdout).toMatch(/^proc$/m);
  for (const c of [chrooted, hostTree]) expect(kit(['rm', '-f', c.name], kr.env).status).toBe(0);
});

test('kit stop sends SIGTERM first: a container that handles it ends at once', async () => {
  const c = await start(spec(['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 0.1; done']));
  const fp = namespaceMembers(c.pid);
  // A grace period far longer than the test may take: only the SIGTERM, handled, can end it in time.
  expect(kit(['stop', '-t', '600', c.name], kr.env)).toMatchObject({ status: 0, stdout: `${c.name}\n` });
  await expectGone(c, fp);
});

test('kit stop kills with SIGKILL after the grace period: PID 1 ignores an unhandled SIGTERM', async () => {
  const c = await start(spec(['sleep', '30']));
  const fp = namespaceMembers(c.pid);
  const t0 = Date.now();
  expect(kit(['stop', '-t', '1', c.name], kr.env).status).toBe(0);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
  await expectGone(c, fp);
});

test('kit rm refuses a running container without -f; -f kills it and leaves nothing', async () => {
  const c = await start(spec(['sleep', '30']));
  const refused = kit(['rm', c.name], kr.env);
  expect(refused.status).toBe(1);
  expect(refused.stderr.trim()).toBe(`kit: container ${c.name} is running; stop it first (kit stop ${c.name}) or force it (kit rm -f ${c.name})`);
  expect(alive(c.pid)).toBe(true);
  const fp = namespaceMembers(c.pid);
  expect(kit(['rm', '-f', c.name], kr.env)).toMatchObject({ status: 0, stdout: `${c.name}\n` });
  await expectGone(c, fp);
});

test('kill -9 of the shim kills the container (PDEATHSIG) and the next kit command reaps it', async () => {
  const c = await start(spec(['sleep', '30']));
  const fp = namespaceMembers(c.pid);
  process.kill(c.ownerPid, 'SIGKILL');
  await eventually(() => !alive(c.pid));
  expect(existsSync(c.stateDir)).toBe(true); // nobody has undone its journal yet
  await expectGone(c, fp); // runs kit ps, which reaps it
  const again = await start(spec(['sleep', '30'], { name: c.name })); // and its name is free again
  expect(kit(['rm', '-f', again.name], kr.env).status).toBe(0);
});

test('names are unique: a second container with a taken name is refused in one line, nothing left', async () => {
  const c = await start(spec(['sleep', '600'])); // outlives the test at any load: it must still hold its name at the end
  const dup = await startDetachedProcess(spec(['sleep', '30'], { name: c.name }), kr.env);
  expect(dup.status).toBe(1);
  expect(dup.error!.message).toMatch(new RegExp(`did not start: the name "${c.name}" is already in use by container ${c.id}$`));
  expect(ps().map((r) => r.id)).toEqual([c.id]);
  expect(hostSnapshot(kr.root).containers).toEqual([c.id]);
  const racing = await Promise.all([0, 1, 2].map(() => startDetachedProcess(spec(['sleep', '30'], { name: `race-${process.pid}` }), kr.env)));
  expect(racing.map((r) => r.status).sort()).toEqual([0, 1, 1]); // started at once: exactly one gets the name
  expect(kit(['rm', '-f', `race-${process.pid}`], kr.env).status).toBe(0);
  const bad = await startDetachedProcess(spec(['true'], { name: 'no/slashes' }), kr.env);
  expect(bad.error!.message).toContain('invalid container name "no/slashes"');
  expect(kit(['rm', '-f', c.name], kr.env).status).toBe(0);
});

test('a detached container whose command cannot run is reported, with the exit code, and leaves nothing', async () => {
  const r = await startDetachedProcess(spec(['no-such-command']), kr.env);
  expect(r.status).toBe(127);
  expect(r.error!.message).toMatch(/did not start: execve\("no-such-command".* failed: ENOENT \(No such file or directory\)$/);
  expect(r.error!.hint).toContain("no such file in the container's root filesystem");
  expect(hostSnapshot(kr.root).containers).toEqual([]);
});
