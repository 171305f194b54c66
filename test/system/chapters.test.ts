import { hostname } from 'node:os';
import { alive, cleanKitRoot, containerRunning, eventually, hostSnapshot, kit, kitBackground, kitJson } from '../support/kit';
import type { ChapterJson } from '../support/json';

const kr = cleanKitRoot();

test('kit chapter lists the chapters with what each turns on and whether it can run here', () => {
  const list = kitJson<Array<{ id: string; turnsOn: string[]; ready: boolean }>>(['chapter'], kr.env);
  expect(list.map((c) => c.id).slice(0, 3)).toEqual(['host', 'uts', 'pid']);
  expect(list.find((c) => c.id === 'pid')).toMatchObject({ ready: true, turnsOn: ['pid namespace', 'mount namespace'] });
  const text = kit(['chapter'], kr.env);
  expect(text.stdout).toMatch(/pid\s+PID namespace/);
  expect(text.stdout).toContain('ready');
});

test('uts: the hostname inside differs and the host keeps its own', () => {
  const hostBefore = hostname();
  const r = kitJson<ChapterJson>(['chapter', 'uts'], kr.env);
  expect(r.container.stdout.trim()).toBe('kit-uts-demo');
  expect(hostname()).toBe(hostBefore);
  expect(r.before[0].text).toBe(hostBefore);
  expect(r.after[0].text).toBe(hostBefore);
  const set = r.trace.find((e) => e.syscall === 'sethostname');
  expect(set).toMatchObject({ side: 'container', ret: 0, args: ['"kit-uts-demo"', '12'] });
});

test('pid: ps inside shows its command as PID 1 and nothing of the host', () => {
  const r = kitJson<ChapterJson>(['chapter', 'pid'], kr.env);
  const rows = r.container.stdout.trim().split('\n').slice(1);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatch(/^root\s+1\s+0\s.*ps -ef$/);
  expect(r.container.stdout).not.toMatch(/kthreadd|node/);
});

test("pid: clone's return value is the host PID the host probe sees, with both PIDs in NSpid", () => {
  const r = kitJson<ChapterJson>(['chapter', 'pid'], kr.env);
  const clone = r.trace.find((e) => e.syscall === 'clone')!;
  expect(clone.side).toBe('host');
  expect(clone.args[0]).toContain('CLONE_NEWPID');
  expect(clone.ret).toBeGreaterThan(1);
  const view = r.during.find((p) => p.probe === 'container-process')!;
  expect(view.title).toContain(`pid ${clone.ret}`);
  expect(view.text).toContain(`NSpid: ${clone.ret} 1`);
  expect(view.text).toMatch(/namespaces that differ from the host's: .*pid/);
});

test('host: the baseline child shares every namespace and sees the host processes', () => {
  const r = kitJson<ChapterJson>(['chapter', 'host'], kr.env);
  expect(r.container.stdout.split('\n').length).toBeGreaterThan(10);
  expect(r.during[0].text).toContain("namespaces that differ from the host's: none");
  expect(r.trace.find((e) => e.syscall === 'clone')!.args).toEqual(['SIGCHLD']);
});

test('--json has the documented fields on every trace event', () => {
  const r = kitJson<ChapterJson>(['chapter', 'pid'], kr.env);
  expect(r.chapter).toBe('pid');
  expect(r.container).toMatchObject({ exitCode: 0, stderr: '' });
  for (const e of r.trace) {
    expect(typeof e.syscall).toBe('string');
    expect(Array.isArray(e.args)).toBe(true);
    expect(typeof e.ret).toBe('number');
    expect(e.errno === null || typeof e.errno === 'string').toBe(true);
    expect(['host', 'container']).toContain(e.side);
    expect(typeof e.durationUs).toBe('number');
  }
  const calls = r.trace.map((e) => `${e.side}:${e.syscall}`);
  expect(calls.indexOf('host:clone')).toBeLessThan(calls.indexOf('container:mount'));
  expect(calls[calls.length - 1]).toBe('host:wait4');
  expect(r.trace.filter((e) => e.syscall === 'execve').map((e) => e.ret)).toEqual([0, 0]);
});

test('the text output shows the trace, the output inside and what to try next; --no-trace hides the trace', () => {
  const r = kit(['chapter', 'pid'], kr.env);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/\[host\] clone\(CLONE_NEWNS\|CLONE_NEWPID\|SIGCHLD\) = \d+/);
  expect(r.stdout).toContain('[ctr ] mount("proc", "/proc", "proc", MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL) = 0');
  expect(r.stdout).toContain('Try this');
  expect(kit(['chapter', 'pid', '--no-trace'], kr.env).stdout).not.toContain('[host] clone');
  expect(kit(['chapter', 'pid', '--explain'], kr.env).stdout).toMatch(/PID 1 is\s+special/);
});

test('a command not found fails at execve with ENOENT and the hint, exit 127', () => {
  const r = kit(['chapter', 'pid', '--', 'no-such-command'], kr.env);
  expect(r.status).toBe(127);
  expect(r.stdout).toMatch(/execve\("no-such-command".*= -1 ENOENT \(No such file or directory\)/);
  expect(r.stdout).toContain("no such file in the container's root filesystem");
});

test('an unknown chapter is one line naming it and the valid ids, exit 1', () => {
  const r = kit(['chapter', 'nope'], kr.env);
  expect(r.status).toBe(1);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toContain("no chapter 'nope'");
  expect(r.stderr).toContain('host, uts, pid');
});

test('without root, pointed at root\'s kit dirs: one line naming the directory and the fix, no raw EACCES', () => {
  const r = kit(['chapter', 'pid'], kr.env, { uid: 65534 });
  expect(r.status).toBe(1);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/kit's directory .* is not writable by uid 65534; set KIT_ROOT to a directory of your own, or run kit with sudo/);
});

test.each(['SIGTERM', 'SIGINT'] as const)('%s to kit during a sleep container kills the container and leaves nothing', async (signal) => {
  const child = kitBackground(['chapter', 'pid', '--', 'sleep', '30'], kr.env);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let pid = 0;
  await eventually(() => (pid = containerRunning(kr.root, 'sleep')?.pid ?? 0) > 0, 30000); // a loaded host takes its time
  child.kill(signal);
  expect(await exited).toBe(signal === 'SIGTERM' ? 143 : 130);
  expect(alive(pid)).toBe(false);
  expect(hostSnapshot(kr.root).containers).toEqual([]);
});
