import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * kit-runtime is its own bundle, dist/kit-runtime.js (bin/bundle.js), and
 * each verb evaluates only the modules it needs (core/runtime.ts): podman
 * starts it once per verb. Which modules a verb evaluated is read from
 * esbuild's module wrappers, counted by a copy of the bundle.
 */
const repo = join(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'kit-runtime-bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The bundle's modules `kit-runtime ARGS` evaluated (dist/core/... paths), with its exit code. */
function evaluatedBy(args: string[]): { status: number | null; modules: string[] } {
  const source = readFileSync(join(repo, 'dist', 'kit-runtime.js'), 'utf8');
  const wrapper = 'return mod || (0, cb[__getOwnPropNames(cb)[0]])(';
  expect(source).toContain(wrapper); // esbuild's __commonJS: each module runs on its first require
  const counted = join(repo, 'dist', `kit-runtime.counted-${process.pid}.js`);
  writeFileSync(counted, source.replace(wrapper, 'return mod || (globalThis.evaluated.push(__getOwnPropNames(cb)[0]), 0, cb[__getOwnPropNames(cb)[0]])('));
  try {
    const script = `globalThis.evaluated = []; process.on('exit', () => process.stderr.write('\\nEVALUATED ' + JSON.stringify(globalThis.evaluated) + '\\n')); require(${JSON.stringify(counted)}).main();`;
    const r = spawnSync(process.execPath, ['-e', script, '--', '--root', join(work, 'root'), ...args], { encoding: 'utf8' });
    return { status: r.status, modules: JSON.parse(/^EVALUATED (.*)$/m.exec(r.stderr)![1]) as string[] };
  } finally {
    rmSync(counted, { force: true });
  }
}

test('the bundle holds kit-runtime and the part of core it uses, not the CLI', () => {
  const source = readFileSync(join(repo, 'dist', 'kit-runtime.js'), 'utf8');
  expect(source).toContain('"dist/core/oci/create.js"');
  expect(source).not.toContain('"dist/bin/commands/run.js"');
  expect(source).not.toContain('node_modules/@oclif/core');
});

test.each([['state'], ['start'], ['kill'], ['delete']])('%s loads no engine, image, network or config-schema code', (verb) => {
  const { status, modules } = evaluatedBy([verb, 'kit-no-such-container']);
  expect(status).toBe(1); // no such container: the error path is the one a verb always starts on
  expect(modules).toContain('dist/core/runtime.js');
  const heavy = modules.filter((m) => /dist\/core\/(engine\/run|plan\/|image\/|network\/|build\/|oci\/(config|create|to-spec)\.js)|node_modules\/zod/.test(m));
  expect(heavy).toEqual([]);
});

test("node:child_process is loaded on first use only (bin/lazy-child-process.js): create spawns nothing unless a hook runs", () => {
  const source = readFileSync(join(repo, 'dist', 'kit-runtime.js'), 'utf8');
  expect(source).not.toContain('require("node:child_process")');
  const script = `const cp = require(${JSON.stringify(join(repo, 'bin', 'lazy-child-process.js'))});
    const before = process.moduleLoadList.some((m) => m.endsWith(' child_process'));
    const r = cp.spawnSync('sh', ['-c', 'exit 3']);
    process.stdout.write(JSON.stringify([before, r.status, process.moduleLoadList.some((m) => m.endsWith(' child_process'))]));`;
  expect(JSON.parse(spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' }).stdout)).toEqual([false, 3, true]);
});

test("create's and kit run's modules do not load node:crypto (~4 ms of start-up); a hash loads it on first use", () => {
  const modules = ['oci/create', 'engine/run', 'storage/overlay2', 'storage/btrfs', 'storage/dm-thin', 'storage/vfs', 'undo-handlers', 'image/base/entries'];
  const script = `for (const m of ${JSON.stringify(modules)}) require(${JSON.stringify(join(repo, 'dist', 'core'))} + '/' + m);
    const loaded = () => process.moduleLoadList.some((m) => m.endsWith(' crypto'));
    const before = loaded();
    const { randomHex } = require(${JSON.stringify(join(repo, 'dist', 'core', 'host', 'random-hex'))});
    const ids = [randomHex(6), randomHex(6)];
    const afterIds = loaded();
    const digest = require(${JSON.stringify(join(repo, 'dist', 'core', 'sha256'))}).sha256Hex('abc');
    process.stdout.write(JSON.stringify({ before, afterIds, ids, digest, after: loaded() }));`;
  const file = join(work, 'crypto-probe.js'); // a file: `node -e` itself loads node:crypto
  writeFileSync(file, script);
  const r = JSON.parse(spawnSync(process.execPath, [file], { encoding: 'utf8' }).stdout);
  expect(r.before).toBe(false);
  expect(r.afterIds).toBe(false); // names come from /dev/urandom
  expect(r.ids[0]).toMatch(/^[0-9a-f]{12}$/);
  expect(r.ids[0]).not.toBe(r.ids[1]);
  expect(r.digest).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'); // FIPS 180-2's "abc"
  expect(r.after).toBe(true);
});
