import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hostSnapshot, kit, requireRoot, tempKitRoot } from '../support/kit';
import { ociHarness, until } from '../support/oci-bundle';

/**
 * kit-runtime's native fast path (native-rs/src/runtime): `start` and
 * `delete` as runc does them, reading the files core/oci/state.ts writes;
 * everything else, and any surprise, handed to bin/kit-runtime.js (Node).
 * Each case runs twice, through the fast path and with it off
 * (KIT_RUNTIME_NATIVE=0): what a caller sees (output, exit code, --log
 * lines, state, the host afterwards, the trace) must be the same.
 */
requireRoot();
const kr = tempKitRoot();
const before = hostSnapshot(kr.root);
afterEach(() => expect(hostSnapshot(kr.root)).toEqual(before));
afterAll(() => {
  for (const id of runtime(['list', '--quiet']).stdout.split('\n').filter(Boolean)) runtime(['delete', '--force', id]);
  kr.cleanup();
});

const { makeBundle } = ociHarness(kr);
const repo = resolve(__dirname, '../..');
const NATIVE = join(repo, 'native-rs', 'kit-runtime');

function runtime(args: string[], native = true, bin = NATIVE) {
  return spawnSync(bin, ['--root', kr.root, ...args], { encoding: 'utf8', env: { ...kr.env, KIT_RUNTIME_NATIVE: native ? '1' : '0' }, timeout: 60_000 });
}

/** create, its init left to this test's process as its caller's subreaper would be. */
function create(bundle: string, id: string, bin = NATIVE) {
  // The container's stdio is create's: a file, not a pipe spawnSync would wait on until the container ends.
  const output = join(kr.root, `${id}.out`);
  const fd = openSync(output, 'w');
  try {
    const r = spawnSync(bin, ['--root', kr.root, 'create', '--bundle', bundle, '--pid-file', join(kr.root, `${id}.pid`), id], { env: kr.env, stdio: ['ignore', fd, fd], timeout: 60_000 });
    expect(r.status).toBe(0);
  } finally {
    closeSync(fd);
  }
  expect(readFileSync(output, 'utf8')).toBe('');
  return Number(readFileSync(join(kr.root, `${id}.pid`), 'utf8'));
}

/** Exited: gone, or a zombie its parent (whoever reaps for this test's process) has not reaped yet. */
function exited(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return true;
  }
}

const sections = (id: string) => kit(['runtime', 'trace', '--root', kr.root, '--json', id], kr.env);

describe.each([
  ['the native fast path', true],
  ['Node alone (KIT_RUNTIME_NATIVE=0)', false],
])('start and delete through %s', (_, native) => {
  const tag = native ? 'n' : 'j';

  test('create, start (the command runs), delete once it exited: states, the trace, nothing left', async () => {
    const id = `kit-native-life-${tag}`;
    const bundle = makeBundle(`b-life-${tag}`, (c) => {
      c.process.args = ['sleep', '1'];
      c.linux.cgroupsPath = `/kit-native-${tag}-${process.pid}`; // its cgroups: what delete's journal replay removes
    }, ['sleep']);
    const pid = create(bundle, id);
    const s = runtime(['start', id], native);
    expect(s.stderr).toBe('');
    expect(s.stdout).toBe('');
    expect(s.status).toBe(0);
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toBe('sleep\u00001\u0000');
    expect(JSON.parse(runtime(['state', id]).stdout).status).toBe('running');
    expect(existsSync(join(kr.root, 'run', 'oci', id, 'exec.fifo'))).toBe(false);
    expect(await until(() => JSON.parse(runtime(['state', id]).stdout).status === 'stopped')).toBe(true);
    const d = runtime(['delete', id], native);
    expect(d.stderr).toBe('');
    expect(d.status).toBe(0);
    expect(existsSync(join(kr.root, 'run', 'oci', id))).toBe(false);
    expect(runtime(['state', id]).stderr).toBe(`kit-runtime: container "${id}" does not exist; \`kit-runtime list\` shows the containers under this --root\n`);
    // the same trace either way, rendered with the same whys; only who did start and delete differs
    const t = sections(id);
    expect(t.status).toBe(0);
    const shown = JSON.parse(t.stdout) as Array<{ verb: string; by?: string; events: Array<{ syscall: string; why?: string; pending: boolean; side: string }> }>;
    expect(shown.map((x) => [x.verb, x.by])).toEqual([['create', undefined], ['start', native ? 'native' : undefined], ['delete', native ? 'native' : undefined]]);
    const start = shown[1].events;
    expect(start.map((e) => e.syscall)).toEqual(['open', 'execve']);
    expect(start[0].why).toBe('`kit-runtime start` opened exec.fifo: this open returns, and the container goes on');
    expect(start[1]).toEqual(expect.objectContaining({ side: 'container', pending: false, why: "replace kit-init with the container's command" }));
    const del = shown[2].events;
    expect(del.length).toBeGreaterThan(0);
    expect(del.every((e) => e.syscall === 'rmdir' && e.why?.startsWith('undo: '))).toBe(true);
  }, 120_000);

  test('a start whose execve fails: the same error line, exit 127, --log json line, as Node alone says it', async () => {
    const id = `kit-native-noexec-${tag}`;
    const pid = create(makeBundle(`b-noexec-${tag}`, (c) => (c.process.args = ['/bin/no-such-program'])), id);
    const log = join(kr.root, `noexec-${tag}.log`);
    const s = runtime(['--log', log, '--log-format', 'json', 'start', id], native);
    expect(s.stderr).toMatch(/^kit-runtime: execve\("\/bin\/no-such-program", .*\) failed: ENOENT \(No such file or directory\)/);
    expect(s.status).toBe(127);
    expect(readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ level: 'error', msg: expect.stringContaining('execve("/bin/no-such-program"') })]);
    expect(existsSync(join(kr.root, 'run', 'oci', id, 'start.read'))).toBe(false);
    expect(await until(() => exited(pid))).toBe(true);
    expect(runtime(['delete', id], native).status).toBe(0);
    const shown = JSON.parse(sections(id).stdout) as Array<{ verb: string; events: Array<{ syscall: string; errno: string | null }> }>;
    expect(shown.find((x) => x.verb === 'start')?.events.find((e) => e.syscall === 'execve')).toEqual(expect.objectContaining({ errno: 'ENOENT' }));
  }, 120_000);

  test('an unknown id: one line, exit 1, the --log json line; delete --force of it is no error', () => {
    const log = join(kr.root, `unknown-${tag}.log`);
    for (const verb of ['start', 'delete']) {
      const r = runtime(['--log', log, '--log-format', 'json', verb, 'kit-native-nope'], native);
      expect(r.stderr).toBe('kit-runtime: container "kit-native-nope" does not exist; `kit-runtime list` shows the containers under this --root\n');
      expect(r.status).toBe(1);
    }
    expect(readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ level: 'error', msg: expect.stringContaining('"kit-native-nope" does not exist') }),
      expect.objectContaining({ level: 'error', msg: expect.stringContaining('"kit-native-nope" does not exist') }),
    ]);
    expect(runtime(['delete', '--force', 'kit-native-nope'], native).status).toBe(0);
    const bad = runtime(['start', '../x'], native);
    expect(bad.status).toBe(1);
  });

  test('delete of a created container (Node: it kills the waiting init first) and with a poststop hook (Node runs it)', async () => {
    const id = `kit-native-hook-${tag}`;
    const out = join(kr.root, `poststop-${tag}`);
    const pid = create(makeBundle(`b-hook-${tag}`, (c) => (c.hooks = { poststop: [{ path: '/bin/sh', args: ['sh', '-c', `cat > ${out}`] }] })), id);
    const d = runtime(['delete', id], native);
    expect(d.stderr).toBe('');
    expect(d.status).toBe(0); // created: delete kills its waiting init, as runc does
    expect(await until(() => exited(pid))).toBe(true);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(expect.objectContaining({ id, status: 'stopped' }));
    expect(JSON.parse(sections(id).stdout).find((x: { verb: string }) => x.verb === 'delete').by).toBeUndefined();
  }, 120_000);
});

test('kit-runtime needs no dist/core beside it: a copy with only its bundle (and native-rs) runs a container through create, start, delete', async () => {
  const copy = mkdtempSync(join(tmpdir(), 'kit-runtime-alone-'));
  try {
    mkdirSync(join(copy, 'dist'));
    mkdirSync(join(copy, 'native-rs'));
    cpSync(join(repo, 'bin'), join(copy, 'bin'), { recursive: true });
    copyFileSync(join(repo, 'package.json'), join(copy, 'package.json'));
    copyFileSync(join(repo, 'dist', 'kit-runtime.js'), join(copy, 'dist', 'kit-runtime.js'));
    for (const file of ['kit-runtime', 'kit-init', 'kit.node']) copyFileSync(join(repo, 'native-rs', file), join(copy, 'native-rs', file));
    const bin = join(copy, 'native-rs', 'kit-runtime');
    const v = runtime(['--version'], true, bin);
    expect(v.stdout).toMatch(/^kit-runtime version \d+\.\d+\.\d+\nspec: 1\.0\.2\n$/);
    const id = 'kit-native-alone';
    const pid = create(makeBundle('b-alone', (c) => (c.process.args = ['true']), ['true']), id, bin);
    expect(runtime(['start', id], true, bin).status).toBe(0);
    expect(await until(() => exited(pid))).toBe(true);
    const d = runtime(['delete', id], true, bin);
    expect(d.stderr).toBe('');
    expect(d.status).toBe(0);
    expect(runtime(['list', '--quiet'], true, bin).stdout).toBe('');
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}, 120_000);
