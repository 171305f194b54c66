import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * kit lab without root: the list, start (a copy in the student's home,
 * never in the repository), hint one at a time, the solution only after a
 * try, reset; progress in ~/.kit/progress.json.
 */
const repo = join(__dirname, '..', '..');
const BIN = join(repo, 'bin', 'run.js');
let home: string;

function kit(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, KIT_LABS_HOME: home, NO_COLOR: '1', ...env }, encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

function progress(): Record<string, { checks: number; passed: boolean; hintsShown: number; startedAt?: string }> {
  return (JSON.parse(readFileSync(join(home, '.kit', 'progress.json'), 'utf8')) as { labs: ReturnType<typeof progress> }).labs;
}

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'kit-lab-home-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

test('kit lab lists the labs in curriculum order, each with its chapter, none started', () => {
  const r = kit(['lab', '--json']);
  expect(r.status).toBe(0);
  const labs = JSON.parse(r.out) as Array<{ id: string; chapter: string; passed: boolean; checks: number }>;
  expect(labs.map((l) => l.id)).toEqual(['host', 'uts', 'pid', 'mount', 'ipc', 'chroot', 'rootfs', 'user', 'cgroup', 'limits', 'layers', 'net', 'final']);
  expect(labs.find((l) => l.id === 'pid')).toMatchObject({ chapter: 'pid', passed: false, checks: 0, needsRoot: null });
  expect(labs.find((l) => l.id === 'cgroup')).toMatchObject({ needsRoot: expect.stringContaining('cgroup tree') });
  expect(kit(['lab']).out).toMatch(/cgroup\s+not started, check with sudo/);
});

test('kit lab start copies the starter and README to ~/kit-labs/ID and points at the file to edit', () => {
  const r = kit(['lab', 'start', 'pid']);
  expect(r.status).toBe(0);
  const file = join(home, 'kit-labs', 'pid', 'lab.ts');
  expect(r.out).toContain(file);
  expect(r.out).toContain('Then: kit lab check pid'); // no sudo: it runs in a user namespace
  expect(kit(['lab', 'start', 'cgroup']).out).toContain('Then: sudo kit lab check cgroup');
  expect(readFileSync(file, 'utf8')).toBe(readFileSync(join(repo, 'labs', 'pid', 'starter.ts'), 'utf8'));
  expect(existsSync(join(home, 'kit-labs', 'pid', 'README.md'))).toBe(true);
  expect(existsSync(join(home, 'kit-labs', 'pid', 'node_modules', 'kit', 'package.json'))).toBe(true); // `from 'kit'` resolves for tsx and editors
  expect(progress().pid.startedAt).toBeDefined();
  expect(kit(['lab']).out).toMatch(/pid\s+started/);
  const again = kit(['lab', 'start', 'pid']);
  expect(again.status).not.toBe(0);
  expect(again.err).toContain('already started');
});

test('hints come one at a time, and are remembered', () => {
  const first = kit(['lab', 'hint', 'uts']);
  expect(first.out).toMatch(/^Hint 1\/2: .*CLONE\.NEWUTS/);
  expect(first.out).not.toContain('Hint 2/2');
  const second = kit(['lab', 'hint', 'uts']);
  expect(second.out).toContain('Hint 1/2');
  expect(second.out).toContain('Hint 2/2');
  expect(second.out).toContain('last hint');
  expect(progress().uts.hintsShown).toBe(2);
});

test('the solution is shown only after a check was tried', () => {
  const before = kit(['lab', 'solution', 'uts']);
  expect(before.status).not.toBe(0);
  expect(before.err).toContain('run `kit lab check uts` at least once');
  mkdirSync(join(home, '.kit'), { recursive: true });
  writeFileSync(join(home, '.kit', 'progress.json'), JSON.stringify({ labs: { uts: { checks: 1, passed: false, hintsShown: 0 } } }));
  const after = kit(['lab', 'solution', 'uts']);
  expect(after.status).toBe(0);
  expect(after.out.trim()).toBe(readFileSync(join(repo, 'labs', 'uts', 'solution.ts'), 'utf8').trim());
});

test('kit lab reset puts the starter back, keeps the old file, and clears the progress', () => {
  kit(['lab', 'start', 'uts']);
  const file = join(home, 'kit-labs', 'uts', 'lab.ts');
  writeFileSync(file, '// my attempt\n');
  kit(['lab', 'hint', 'uts']);
  const r = kit(['lab', 'reset', 'uts']);
  expect(r.status).toBe(0);
  expect(readFileSync(file, 'utf8')).toBe(readFileSync(join(repo, 'labs', 'uts', 'starter.ts'), 'utf8'));
  expect(readFileSync(`${file}.bak`, 'utf8')).toBe('// my attempt\n');
  expect(progress().uts).toMatchObject({ checks: 0, hintsShown: 0, passed: false });
});

test('a lab directory inside the repository is refused; an unknown lab names the valid ones', () => {
  const inside = kit(['lab', 'start', 'uts'], { KIT_LABS_HOME: join(repo, 'labs') });
  expect(inside.status).not.toBe(0);
  expect(inside.err).toContain("inside kit's repository");
  expect(existsSync(join(repo, 'labs', 'kit-labs'))).toBe(false);
  const unknown = kit(['lab', 'start', 'nope']);
  expect(unknown.status).not.toBe(0);
  expect(unknown.err).toContain("no lab 'nope'");
  expect(unknown.err).toContain('host, uts, pid');
});
