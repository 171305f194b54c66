import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { cleanKitRoot, containerRunning, eventually, kitBackground, kitJson } from '../support/kit';
import type { ChapterJson } from '../support/json';
import { kitUserReleased, kitUserState } from '../support/userns';
import { readSubordinate, SUBUID_FILE } from '../../core/userns/subordinate';
import { statusField } from '../../core/host/process';

const kr = cleanKitRoot();
// Taken when no container of any kit holds the `kit` user (other test files use it too), and only its lines.
let kitUserBefore: ReturnType<typeof kitUserState>;
beforeAll(async () => {
  await kitUserReleased();
  kitUserBefore = kitUserState();
});

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** The owner of `file` as soon as it exists (a synchronous poll: no timer between its creation and the look). */
function ownerOnceMade(file: string, timeoutMs = 10000): number | undefined {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      return statSync(file).uid;
    } catch {
      // not made yet
    }
  }
  return undefined;
}

function userDemoDirs(): string[] {
  return readdirSync('/tmp').filter((d) => d.startsWith('kit-user-'));
}

test('user: inside, id says uid 0; the host sees the mapped uid in /proc/<pid>/status, and a file made inside is owned by it', async () => {
  const dirsBefore = userDemoDirs();
  const child = kitBackground(['chapter', 'user', '--', 'sh', '-c', 'id -u; echo hi > made-inside; exec sleep 20'], kr.env);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  let pid = 0;
  // Until kit-init execs the command, the clone child's cmdline is still kit's own (which says sleep too).
  // The chapter holds the command at its exec while it looks, then ends it as soon as its probes have
  // seen the file: so the test looks while the command is held (sh) or runs (sleep), not only at sleep.
  await eventually(() => (pid = containerRunning(kr.root, 'sleep')?.pid ?? 0) > 0 && ['sh', 'sleep'].includes(comm(pid)));
  // The range the `kit` user has while the container runs (made if it was missing).
  const range = readSubordinate(SUBUID_FILE).find((r) => r.user === 'kit')!;
  expect(range.count).toBe(65536);
  expect(statusField(pid, 'Uid')).toBe(`${range.start} ${range.start} ${range.start} ${range.start}`);
  expect(statusField(pid, 'Gid')?.split(' ')[0]).toBe(String(readSubordinate('/etc/subgid').find((r) => r.user === 'kit')!.start));
  expect(readFileSync(`/proc/${pid}/uid_map`, 'utf8').trim().split(/\s+/)).toEqual(['0', String(range.start), '65536']);
  expect(readlinkSync(`/proc/${pid}/ns/user`)).not.toBe(readlinkSync('/proc/self/ns/user'));
  const dir = readlinkSync(`/proc/${pid}/cwd`);
  // The chapter ends the container once its probe has listed the file, and removes the directory:
  // look without yielding, so the file is seen in that window however busy the machine is.
  expect(ownerOnceMade(`${dir}/made-inside`)).toBe(range.start);
  expect(await exited).toBe(0);
  expect(stdout).toMatch(/Inside the container\n\s+0\n/);
  // Everything kit made for it is gone: the demo directory, and the user and range if kit made them.
  expect(userDemoDirs()).toEqual(dirsBefore);
  expect(existsSync(dir)).toBe(false);
  await kitUserReleased();
  expect(kitUserState()).toEqual(kitUserBefore);
});

test('user: the trace shows setgroups, uid_map and gid_map written by the host before the child becomes root and execs kit-init', async () => {
  const r = kitJson<ChapterJson>(['chapter', 'user'], kr.env);
  expect(r.container.stdout).toMatch(/^uid=0\(root\) gid=0\(root\)/);
  const calls = r.trace.map((e) => `${e.side}:${e.syscall}:${e.args[0] ?? ''}`);
  const at = (prefix: string) => calls.findIndex((c) => c.startsWith(prefix));
  const clone = r.trace.find((e) => e.syscall === 'clone')!;
  expect(clone.args[0]).toContain('CLONE_NEWUSER');
  const writes = r.trace.filter((e) => e.side === 'host' && e.syscall === 'write' && e.args[0].startsWith('"/proc/'));
  expect(writes.map((e) => [e.args[0], e.args[1]])).toEqual([
    [`"/proc/${clone.ret}/setgroups"`, '"allow"'],
    [`"/proc/${clone.ret}/uid_map"`, expect.stringMatching(/^"0 \d+ 65536\\n"$/)],
    [`"/proc/${clone.ret}/gid_map"`, expect.stringMatching(/^"0 \d+ 65536\\n"$/)],
  ]);
  expect(at(`host:write:"/proc/${clone.ret}/gid_map"`)).toBeLessThan(at('container:setresuid'));
  expect(at('container:setresuid')).toBeLessThan(at('container:execve'));
  const mapping = r.during.find((p) => p.probe === 'container-process')!;
  expect(mapping.text).toMatch(/namespaces that differ from the host's: user/);
  await kitUserReleased();
  expect(kitUserState()).toEqual(kitUserBefore);
});
