import chroot from '../../chapters/chroot';
import mount from '../../chapters/mount';
import net from '../../chapters/net';
import pids from '../../chapters/pids';
import { checkClaims, type ChapterResultData } from '../../core/curriculum/claims';
import { containerProcess } from '../../core/probes/container-process';
import type { ProbeResult } from '../../core/probes/probe';

/**
 * The chapters' own Try lines (`-- CMD`) showed a point and were told
 * '✗ not in this run': each point is now checked on what such a run has.
 */
const run = (stdout: string, more: Partial<ChapterResultData> & { stderr?: string; notes?: string[] } = {}): ChapterResultData => ({
  before: more.before ?? [], during: more.during ?? [], running: [], after: more.after ?? [], trace: [],
  container: { stdout, stderr: more.stderr ?? '', exitCode: 0, signal: null, notes: more.notes ?? [] },
});
const probe = (id: string, text: string, title = id): ProbeResult => ({ probe: id, title, text });

test("pids -- sh -c 'f() { f | f & }; f; sleep 1': the fork bomb's refusals and kit's note are the chapter's points", () => {
  const r = run('', { stderr: 'sh: 1: Cannot fork\nsh: 1: Cannot fork\n', notes: ['pids limit: fork() was refused 2 time(s) at --pids-limit 10 (pids.events: max 2)'] });
  expect(checkClaims(pids.claims ?? [], r)).toEqual([
    { says: 'past the limit the shell could not fork', held: true },
    { says: "kit's note gives how many forks the limit refused (pids.events max)", held: true },
  ]);
  expect(pids.tryNext[0]).toContain('; sleep 1'); // without it PID 1 exits at once, and the bomb never reaches the limit
  const loop = checkClaims(pids.claims ?? [], run('started 12\nstarted 13\nstarted 14\n', { stderr: "sh: can't fork: Resource temporarily unavailable\n" }));
  expect(loop[0]).toEqual({ says: 'the loop printed 3 pids, then the shell could not fork', held: true });
  expect(checkClaims(pids.claims ?? [], run('hello\n'))[0].held).toBe(false);
});

test("chroot -- cat /etc/passwd: the escape is seen from the host (the process's / is the host's), whatever the command prints", async () => {
  const seen = (await containerProcess.run({ pid: process.pid })).text;
  expect(seen).toMatch(new RegExp(`^/proc/${process.pid}/root: the host's own / \\(the same device and inode\\)$`, 'm'));
  const escaped = run('root:x:0:0:root:/root:/bin/bash\n', { during: [probe('container-process', seen)] });
  expect(checkClaims(chroot.claims ?? [], escaped)[0]).toEqual({ says: "the escape worked: the command ran with the host's own / as its root (the host saw it: same device and inode)", held: true });
  const jailed = run('root:x:0:0:root:/root:/bin/sh\n', { during: [probe('container-process', "/proc/9/root: not the host's / (another directory: the container's root)")] });
  expect(checkClaims(chroot.claims ?? [], jailed)[0].held).toBe(false);
  expect(checkClaims(chroot.claims ?? [], run('ESCAPED\n'))[0]).toEqual({ says: "the escape worked: the command says ESCAPED and lists the host's /", held: true });
});

test('mount -- cat /proc/self/mountinfo: the table it printed is counted against the host\'s', () => {
  const table = ['22 21 0:51 / / rw,relatime - overlay overlay rw', '23 22 0:52 / /proc rw,nosuid - proc proc rw', '24 22 0:53 / /dev rw,nosuid - tmpfs tmpfs rw,size=65536k'].join('\n');
  const r = run(`${table}\n`, { before: [probe('mounts', '31 mounts on the host')] });
  expect(checkClaims(mount.claims ?? [], r)[1]).toEqual({ says: "the container's table is its own: 3 mounts inside, 31 on the host", held: true });
});

test('net without root -- ip -o addr: lo only, so none of the host\'s links is inside', () => {
  const addr = '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever\n1: lo    inet6 ::1/128 scope host \\       valid_lft forever preferred_lft forever\n';
  const r = run(addr, { before: [probe('host-links', 'lo UNKNOWN\neth0 UP', "the host's 7 links (ip -br link)")] });
  expect(checkClaims(net.withoutRoot?.claims ?? [], r).find((c) => c.says.includes("host's"))).toEqual({ says: "none of the host's 7 links is inside", held: true });
  const leaked = run(`${addr}2: eth0    inet 10.0.0.2/24 scope global eth0\n`, { before: [probe('host-links', 'lo\neth0', "the host's 7 links (ip -br link)")] });
  expect(checkClaims(net.withoutRoot?.claims ?? [], leaked).find((c) => c.says.includes("host's"))?.held).toBe(false);
});
