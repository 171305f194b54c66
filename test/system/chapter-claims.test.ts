import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripAnsi } from '../../core/trace/width';
import { cleanKitRoot, kit, kitJson, tempKitRoot } from '../support/kit';

/**
 * Every chapter, as a class would see it at 80 columns: no line wider, every
 * point its text makes checked against what its run showed, and the
 * recording replayed to the same bytes.
 */
const kr = cleanKitRoot();
const chapters = kitJson<Array<{ id: string }>>(['chapter'], kr.env).map((c) => c.id);

interface EndRecord {
  type: 'end';
  claims: Array<{ says: string; held: boolean }>;
}

test.each(chapters)('%s: fits 80 columns, every claim held in its run, replay gives the same bytes', (id) => {
  const file = join(kr.root, `${id}.kitrec`);
  const live = kit(['chapter', id, '--width', '80', '--record', file], kr.env);
  const tooWide = live.stdout.split('\n').filter((l) => stripAnsi(l).length > 80);
  expect(tooWide).toEqual([]);
  const end = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as EndRecord).find((r) => r.type === 'end')!;
  expect(end.claims.length).toBeGreaterThan(0);
  expect(end.claims.filter((c) => !c.held)).toEqual([]);
  for (const claim of end.claims) expect(live.stdout).toContain(`✓ ${claim.says.split(' ').slice(0, 4).join(' ')}`);
  const replay = kit(['replay', file, '--width', '80', '--instant'], kr.env);
  expect(replay.status).toBe(0);
  expect(replay.stdout).toBe(live.stdout);
});

test('examples/ holds a recording of every chapter', () => {
  const examples = readdirSync(join(__dirname, '..', '..', 'examples')).filter((f) => f.endsWith('.kitrec'));
  expect(examples.map((f) => f.replace(/\.kitrec$/, ''))).toEqual(expect.arrayContaining(chapters));
});

test("a learner's own command gets 'not in this run', not the chapter's claims", () => {
  const r = kit(['chapter', 'pid', '--', 'echo', 'hi'], kr.env);
  expect(r.stdout).toContain('✗ not in this run: inside, ps -ef lists its own command as PID 1');
  expect(r.stdout).not.toContain('Inside, ps -ef lists its own command as PID 1 and nothing of the host');
});

test.each([
  [['chroot', '--', 'cat', '/etc/passwd'], 'the escape worked: the command ran with the host\'s own / as its root'],
  [['pids', '--', 'sh', '-c', 'f() { f | f & }; f; sleep 1'], 'past the limit the shell could not fork'],
  [['mount', '--', 'cat', '/proc/self/mountinfo'], "the container's table is its own"],
])("the chapter's own Try line kit chapter %j at 60 columns: fits, and its points hold, seen in the run's data", (args, point) => {
  const r = kit(['chapter', ...args.slice(0, 1), '--width', '60', ...args.slice(1)], kr.env);
  expect(r.status).toBe(0);
  expect(r.stdout.split('\n').filter((l) => stripAnsi(l).length > 60)).toEqual([]);
  expect(r.stdout.replace(/\s+/g, ' ')).toContain(`✓ ${point}`);
  // mount's own command mounts kit-demo; cat only shows the table: that point is rightly not in this run
  if (args[0] === 'mount') return expect(r.stdout.replace(/\s+/g, ' ')).toContain('✗ not in this run: inside, /proc/self/mountinfo has a tmpfs named kit-demo');
  expect(r.stdout).not.toContain('✗');
  expect(r.stdout).toContain("Your own command ran instead of the chapter's");
});

test("the base image's first build is told in the chapter's stream, where it happens, fitted; nothing on stderr", () => {
  const fresh = tempKitRoot();
  try {
    const r = kit(['chapter', 'mount', '--width', '60'], fresh.env);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toContain('building');
    const at = r.stdout.indexOf("kit: building the default image 'base' (once, offline)");
    expect(at).toBeGreaterThan(r.stdout.indexOf('Host before'));
    expect(at).toBeLessThan(r.stdout.indexOf('What kit did'));
    expect(r.stdout).toMatch(/^kit: \[4\/4\] image 'base' is ready$/m);
    expect(r.stdout.split('\n').filter((l) => stripAnsi(l).length > 60)).toEqual([]);
  } finally {
    fresh.cleanup();
  }
});

test('--explain explains each kind of call once per chapter', () => {
  const r = kit(['chapter', 'mount', '--explain'], kr.env);
  expect(r.stdout.match(/The first mount call \(MS_REC\|MS_PRIVATE/g)).toHaveLength(1);
  expect(r.stdout.match(/\[ctr \] mount\(/g)!.length).toBeGreaterThan(5);
});

test('the texts the issue found false are true now', () => {
  const uts = kit(['chapter', 'uts'], kr.env).stdout;
  expect(uts).not.toContain('it is PID 1');
  expect(uts).toContain('it keeps the PID clone() returned (no PID namespace here)');
  // Host during shows the command itself (held at its first instruction), not kit-init, even for one as short as hostname.
  const during = /Host during: the container process, seen from the host \(pid (\d+)\): just exec'd, held by kit at its first\s+instruction/.exec(uts);
  expect(during).not.toBeNull();
  expect(uts).toMatch(new RegExp(`^ +${during![1]} +\\d+ hostname$`, 'm'));
  expect(uts).not.toMatch(/^ +\d+ +\d+ kit-init$/m);
  // ...and before the command's output: it has not run yet.
  expect(uts.indexOf('Host during')).toBeLessThan(uts.indexOf('  kit-uts-demo'));
  const net = kit(['chapter', 'net', '--', 'true'], kr.env).stdout;
  expect(net).toMatch(/born in new mount, uts, pid, net namespaces/);
  expect(net).not.toMatch(/incompatible, use 'nft'/);
  const chroot = kit(['chapter', 'chroot'], kr.env).stdout;
  expect(chroot).toContain('Host before');
  expect(chroot).not.toContain('kit-demo');
  expect(chroot).not.toMatch(/^ {2}sudo kit /m); // kit is not on PATH here: the README's npx form
  expect(chroot).toMatch(/^ {2}sudo npx kit chapter rootfs/m);
});

test("kit run --help's cgroup example runs", () => {
  const help = kit(['run', '--help'], kr.env).stdout;
  const example = /sudo kit (run --cpu-quota 50000 .*)$/m.exec(help)![1];
  const r = kit(example.split(' '), kr.env);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/cpu.*:\/$/m);
});

test('the escape chapter names the device rules this run used: v1\'s devices controller, or with --cgroup-driver v2 the eBPF program', () => {
  const stoppedBy = (text: string) => /open a host block device[^\n]*\n(?:.*\n){2} +stopped by: +([^\n]*)/.exec(text)?.[1];
  const v1 = kit(['chapter', 'escape', '--no-trace', '--width', '300'], kr.env);
  expect(v1.status).toBe(0);
  expect(stoppedBy(v1.stdout)).toMatch(/^cgroup v1's devices controller \(devices\.deny a, then devices\.allow per harmless node\): mknod of any node is allowed/);
  expect(v1.stdout).toContain("✓ the block device was refused by cgroup v1's devices controller");
  const v2 = kit(['chapter', 'escape', '--cgroup-driver', 'v2', '--no-trace', '--width', '300'], kr.env);
  expect(v2.status).toBe(0);
  expect(stoppedBy(v2.stdout)).toMatch(/^an eBPF device program on the container's cgroup \(cgroup v2 has no devices files; loaded by kit-init\)/);
  expect(v2.stdout).toContain("✓ the block device was refused by an eBPF device program on the container's cgroup");
  for (const text of [v1.stdout, v2.stdout]) expect(text).not.toMatch(/devices cgroup/);
});

test('the cgroup chapter\'s claim names the file and value this run wrote (cpu.cfs_quota_us on this host\'s v1 controllers)', () => {
  const r = kitJson<{ claims: Array<{ says: string; held: boolean }> }>(['chapter', 'cgroup'], kr.env);
  expect(r.claims).toContainEqual({ says: 'the limit is one write: "50000" into cpu.cfs_quota_us (cgroup v1)', held: true });
});
