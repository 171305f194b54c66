import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireRoot, tempKitRoot } from '../support/kit';
import { RUNTIME } from '../support/oci-bundle';

/**
 * Docker drives kit-runtime: `docker run --runtime kit` makes dockerd hand
 * the config.json it builds (sysctls, the /dev/fuse deny rule, blkio weight
 * 0, disableOOMKiller) to containerd's runc shim, which runs kit-runtime as
 * it would runc. A private dockerd (its own data root, exec root, socket,
 * pidfile and cgroup parent; no bridge, no iptables, no ip forwarding),
 * started by the test and stopped by pid; its containerd is its own too.
 * The image is a busybox root filesystem imported from a tarball.
 */
requireRoot();
const kr = tempKitRoot();
const socket = join(kr.root, 'docker.sock');
const execRoot = join(kr.root, 'x');
const cgroupParent = `kit-docker-test-${process.pid}`;
const IMAGE = 'kit-docker-busybox:latest';
/** What dockerd writes outside its roots whatever its flags: removed afterwards only if it was not there before. */
const outside = ['/etc/docker', '/run/docker'].filter((p) => !existsSync(p));
let dockerd: ChildProcess;

const docker = (args: string[], timeout = 60_000) => spawnSync('docker', ['-H', `unix://${socket}`, ...args], { encoding: 'utf8', timeout });
const run = (args: string[]) => docker(['run', '--runtime', 'kit', ...args]);
const hostFile = (path: string) => readFileSync(path, 'utf8');
/** The container's cgroup directory in one v1 hierarchy (Docker's cgroupfs driver: <parent>/<full id>). */
const cgroupOf = (hierarchy: string, id: string) => join('/sys/fs/cgroup', hierarchy, cgroupParent, id);

beforeAll(async () => {
  mkdirSync(execRoot);
  dockerd = spawn('dockerd', [
    '--iptables=false', '--ip6tables=false', '--ip-forward=false', '--bridge=none',
    '--data-root', join(kr.root, 'data'), '--exec-root', execRoot, '--pidfile', join(kr.root, 'docker.pid'),
    '-H', `unix://${socket}`, '--cgroup-parent', `/${cgroupParent}`, '--add-runtime', `kit=${RUNTIME}`,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  dockerd.stderr?.on('data', (d) => (log += d));
  for (let i = 0; i < 400 && docker(['version']).status !== 0; i++) await new Promise((r) => setTimeout(r, 50));
  if (docker(['version']).status !== 0) throw new Error(`dockerd did not start:\n${log}`);
  const rootfs = join(kr.root, 'rootfs');
  mkdirSync(join(rootfs, 'bin'), { recursive: true });
  spawnSync('cp', ['/bin/busybox', join(rootfs, 'bin', 'busybox')]);
  for (const applet of ['sh', 'echo', 'cat', 'sleep', 'mknod', 'hostname']) spawnSync('ln', ['-s', 'busybox', join(rootfs, 'bin', applet)]);
  spawnSync('tar', ['-C', rootfs, '-cf', join(kr.root, 'busybox.tar'), '.']);
  const imported = docker(['import', join(kr.root, 'busybox.tar'), IMAGE]);
  expect(imported.stderr).toBe('');
  expect(imported.status).toBe(0);
}, 120_000);

afterAll(async () => {
  docker(['rm', '--force', 'kit-docker-d', 'kit-docker-oom']);
  const pid = Number(readFileSync(join(kr.root, 'docker.pid'), 'utf8'));
  process.kill(pid, 'SIGTERM');
  if (dockerd.exitCode === null) await new Promise((r) => dockerd.once('exit', r));
  for (const hierarchy of ['', ...readdirSync('/sys/fs/cgroup')]) {
    const dir = join('/sys/fs/cgroup', hierarchy, cgroupParent);
    if (existsSync(dir)) spawnSync('find', [dir, '-depth', '-type', 'd', '-exec', 'rmdir', '{}', ';']);
  }
  for (const path of outside) spawnSync('rm', ['-rf', path]);
  kr.cleanup();
}, 60_000);

test('docker run --rm --runtime kit prints its output with the sysctls Docker asks for, exit codes pass through', () => {
  const r = run(['--rm', IMAGE, 'sh', '-c', 'echo hi from docker; cat /proc/sys/net/ipv4/ping_group_range']);
  expect(r.stderr).toBe('');
  // Docker 20.10 asks for ping_group_range "0 2147483647" (linux.sysctl): written in the container's own network namespace
  expect(r.stdout).toBe('hi from docker\n0\t2147483647\n');
  expect(hostFile('/proc/sys/net/ipv4/ping_group_range')).not.toBe('0\t2147483647\n');
  expect(run(['--rm', IMAGE, 'sh', '-c', 'exit 7']).status).toBe(7);
  // an IPC sysctl of its own: the container's IPC namespace holds it, the host's keeps its value
  const hostShmmax = hostFile('/proc/sys/kernel/shmmax');
  const s = run(['--rm', '--sysctl', 'kernel.shmmax=123456789', IMAGE, 'cat', '/proc/sys/kernel/shmmax']);
  expect(s.stderr).toBe('');
  expect(s.stdout).toBe('123456789\n');
  expect(hostFile('/proc/sys/kernel/shmmax')).toBe(hostShmmax);
}, 120_000);

test('docker run -d, docker exec, docker stop and rm: the container lives, answers, stops on SIGTERM and leaves nothing', () => {
  const d = run(['-d', '--name', 'kit-docker-d', IMAGE, 'sh', '-c', 'trap "exit 0" TERM; echo started; while :; do sleep 1; done']);
  expect(d.stderr).toBe('');
  expect(d.status).toBe(0);
  const id = d.stdout.trim();
  expect(id).toMatch(/^[0-9a-f]{64}$/);
  const e = docker(['exec', 'kit-docker-d', 'sh', '-c', 'echo exec in $(hostname); cat /proc/1/cmdline | tr "\\0" " "']);
  expect(e.stderr).toBe('');
  expect(e.stdout).toBe(`exec in ${id.slice(0, 12)}\nsh -c trap "exit 0" TERM; echo started; while :; do sleep 1; done `);
  expect(docker(['exec', 'kit-docker-d', 'sh', '-c', 'exit 3']).status).toBe(3);
  // the container's cgroup is where Docker's cgroupsPath says, with its process in it
  expect(hostFile(join(cgroupOf('pids', id), 'cgroup.procs')).trim()).not.toBe('');
  const started = Date.now();
  expect(docker(['stop', 'kit-docker-d']).status).toBe(0);
  expect(Date.now() - started).toBeLessThan(9000); // SIGTERM reached sh (no 10 s wait for SIGKILL)
  expect(docker(['inspect', '-f', '{{.State.ExitCode}}', 'kit-docker-d']).stdout).toBe('0\n');
  expect(docker(['logs', 'kit-docker-d']).stdout).toBe('started\n');
  expect(docker(['rm', 'kit-docker-d']).status).toBe(0);
  for (const hierarchy of readdirSync('/sys/fs/cgroup')) expect(existsSync(cgroupOf(hierarchy, id))).toBe(false);
  const state = join(execRoot, 'runtime-runc', 'moby');
  expect(existsSync(state) ? readdirSync(state).filter((n) => n.includes(id)) : []).toEqual([]);
}, 120_000);

test('--oom-kill-disable reaches memory.oom_control (cgroup v1), as runc writes it; /sys/fs/cgroup inside shows its own memory cgroup; docker update changes its limits', () => {
  const d = run(['-d', '--name', 'kit-docker-oom', '--memory', '64m', '--oom-kill-disable', IMAGE, 'sleep', '60']);
  expect(d.stderr).toBe('');
  const id = d.stdout.trim();
  const memory = cgroupOf('memory', id);
  expect(hostFile(join(memory, 'memory.oom_control'))).toMatch(/^oom_kill_disable 1$/m);
  expect(hostFile(join(memory, 'memory.limit_in_bytes'))).toBe(`${64 * 1024 * 1024}\n`);
  // Docker's /sys/fs/cgroup mount (no cgroup namespace on v1): the container's own memory cgroup, bound read-only
  const inside = docker(['exec', 'kit-docker-oom', 'sh', '-c', 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes; echo 1 2>/dev/null > /sys/fs/cgroup/memory/memory.limit_in_bytes || echo read-only']);
  expect(inside.stdout).toBe(`${64 * 1024 * 1024}\nread-only\n`);
  // docker update: dockerd -> containerd's shim -> `kit-runtime update --resources -`, the new limits in the running container's cgroup files
  const u = docker(['update', '--memory', '96m', '--cpu-shares', '512', '--pids-limit', '30', 'kit-docker-oom']);
  expect(u.stderr).toBe('');
  expect(u.status).toBe(0);
  expect(hostFile(join(memory, 'memory.limit_in_bytes'))).toBe(`${96 * 1024 * 1024}\n`);
  expect(hostFile(join(cgroupOf('cpu', id), 'cpu.shares'))).toBe('512\n');
  expect(hostFile(join(cgroupOf('pids', id), 'pids.max'))).toBe('30\n');
  expect(docker(['rm', '--force', 'kit-docker-oom']).status).toBe(0);
  expect(existsSync(memory)).toBe(false);
}, 120_000);

test("device rules: Docker's list is enforced as given; --device-cgroup-rule opens one more device", () => {
  // /dev/net/tun (c 10:200) is no default device of kit's (runc 1.1 still allowed it; 1.2 does not): mknod is allowed, open is not
  const script = 'mknod /dev/tun c 10 200 && echo made && exec 3<>/dev/tun && echo opened';
  const refused = run(['--rm', IMAGE, 'sh', '-c', script]);
  expect(refused.stdout).toBe('made\n');
  expect(refused.stderr).toMatch(/can't create \/dev\/tun: Operation not permitted/);
  expect(run(['--rm', '--device-cgroup-rule=c 10:200 rwm', IMAGE, 'sh', '-c', script]).stdout).toBe('made\nopened\n');
  // /dev/null, which Docker's list allows, opens as ever
  expect(run(['--rm', IMAGE, 'sh', '-c', 'echo x > /dev/null && echo ok']).stdout).toBe('ok\n');
}, 120_000);
