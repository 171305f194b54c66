#!/usr/bin/env node
/**
 * Container create time by storage driver and image size (needs root and a
 * build; part of `sudo npm run bench`, or alone: `sudo node test/bench/storage.js`).
 * overlay2 mounts the layers where they are, so its time should not grow with
 * the image; vfs copies them, so its time should grow with the image.
 */
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } = require('node:fs');
const { createHash, randomBytes } = require('node:crypto');
const { loadavg, tmpdir } = require('node:os');
const { join } = require('node:path');

const core = (file) => require(join(__dirname, '..', '..', 'dist', 'core', file));
const { ImageStore } = core('image/store');
const { storeLayer, createContainerLayer } = core('storage/containers');
const { busyboxLayer } = core('curriculum/demo-image');
const { overlay2 } = core('storage/overlay2');
const { vfs } = core('storage/vfs');
const { withHostChanges } = core('engine/session');
const { importImage } = core('image/import');
const { kitPaths } = core('paths');

const LARGE_MB = Number(process.env.BENCH_LARGE_MB ?? 200);
const RUNS = 5;
/** Rounds of the import rows (each round: both imports, tar -x, and the floor's two starts). */
const IMPORT_RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 9);

async function image(paths, store, name, megabytes) {
  const layers = [(await storeLayer(paths, store, 'busybox', busyboxLayer)).digest];
  if (megabytes) {
    const data = (await storeLayer(paths, store, `${megabytes} MB of files`, (dir) => {
      mkdirSync(join(dir, 'data'));
      for (let i = 0; i < megabytes; i++) writeFileSync(join(dir, 'data', `blob${i}`), randomBytes(1 << 20));
    })).digest;
    layers.push(data);
  }
  store.save({ name, layers, config: {}, created: new Date().toISOString(), history: layers.map(() => ({ createdBy: 'bench' })) });
  return store.get(name);
}

/** Median milliseconds to make one container's root (the undo after each run is not counted). */
async function createTime(paths, store, img, driver) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    await withHostChanges('bench', (ctx) => {
      const start = process.hrtime.bigint();
      createContainerLayer(ctx, store, img, driver, false);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }, { paths });
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

/**
 * The import of a flat root filesystem tarball (one layer: read, checked
 * entry by entry, hashed, extracted) against plain `tar -x` of the same file
 * into a directory, two ways, all in turn (one of each per round, then
 * again: the load of a shared machine moves from minute to minute):
 * - the engine in this process (core's importImage, as `kit image import`
 *   calls it, with no CLI start-up; tar spawned from this process too):
 *   issue 15's goal, like the engine rows of test/bench/run.js;
 * - the command as a user types it, `kit image import FILE --name NAME`
 *   through its `#!` line, with its floor beside it: Node's start, kit's
 *   start-up up to the import (`kit image import` of a missing file, which
 *   ends at the first look at it), then the longer of tar's own work (kit
 *   reads and writes every byte too) and sha256 of all the bytes (the
 *   layer's digest, one sequential stream no checked import can skip), which
 *   at best run side by side on the two cores.
 * Each side writes into a new directory, kit into a new kit root (a layer it
 * had already would be extracted, found a duplicate and removed, which is not
 * a first import), and only its own work is timed: neither removal is.
 */
async function importAgainstTar(root, megabytes) {
  const src = join(root, 'import-src');
  mkdirSync(join(src, 'data'), { recursive: true });
  for (let i = 0; i < megabytes; i++) writeFileSync(join(src, 'data', `blob${i}`), randomBytes(1 << 20));
  const tar = join(root, 'import.tar');
  must(['tar', '-C', src, '-cf', tar, '.']);
  rmSync(src, { recursive: true, force: true });
  const bin = join(__dirname, '..', '..', 'bin', 'run.js');
  const fresh = (prefix) => () => mkdtempSync(join(root, prefix));
  const remove = (dir) => rmSync(dir, { recursive: true, force: true });
  const { env } = process;
  const bare = Object.fromEntries(Object.entries(env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS')); // as kit's `#!` line starts node
  const missing = join(root, 'missing.tar');
  const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
  const loadBefore = load();
  const [engineMs, tarMs, cliMs, nodeMs, startMs] = await medianMsInTurn([
    {
      before: fresh('kit-root-'),
      run: async (dir) => {
        const paths = kitPaths({ KIT_ROOT: dir });
        await importImage(new ImageStore(paths), paths, tar, { name: 'bench' });
      },
      after: remove,
    },
    { before: fresh('tar-x-'), run: (dir) => must(['tar', '-C', dir, '-xf', tar]), after: remove },
    { before: fresh('kit-root-'), run: (dir) => must([bin, 'image', 'import', tar, '--name', 'bench'], { env: { ...env, KIT_ROOT: dir } }), after: remove },
    { run: () => must(['node', '-e', '0'], { env: bare }) },
    { before: fresh('kit-root-'), run: (dir) => mustFail([bin, 'image', 'import', missing, '--name', 'bench'], `no file '${missing}'`, { env: { ...env, KIT_ROOT: dir } }), after: remove },
  ], IMPORT_RUNS);
  const hashMs = sha256Ms(tar);
  const speed = (ms) => `${(tarMs / ms).toFixed(2)}x tar's speed`;
  // kit does tar's work (read and write every byte) and hashes them too, on another core at best.
  const floor = startMs + Math.max(tarMs, hashMs);
  console.log(`import of a ${megabytes} MB tarball (${megabytes} files of 1 MiB) vs tar -x of it into an empty directory, median of ${IMPORT_RUNS} rounds in turn (neither side's removal timed); load average ${loadBefore} -> ${load()}`);
  console.log(`  tar -x                                                   ${tarMs.toFixed(0).padStart(5)} ms`);
  console.log(`  kit's engine in this process (importImage, new kit root) ${engineMs.toFixed(0).padStart(5)} ms   ${speed(engineMs)} (issue 15's goal: >= 0.8x)`);
  console.log(`  the CLI, kit image import FILE --name NAME               ${cliMs.toFixed(0).padStart(5)} ms   ${speed(cliMs)}`);
  console.log(`    its floor: kit image import of a missing file ${startMs.toFixed(0)} ms (node -e 0 ${nodeMs.toFixed(0)} ms + kit's start-up ${(startMs - nodeMs).toFixed(0)} ms) + the longer of tar -x's work and sha256 of ${megabytes} MB (${hashMs.toFixed(0)} ms in this process, OpenSSL), which run side by side at best = ${floor.toFixed(0)} ms: ${speed(floor)} at best`);
}

/** Median milliseconds of sha256 over the file's bytes (already in memory: the hash alone). */
function sha256Ms(file) {
  const bytes = readFileSync(file);
  const times = [];
  for (let i = 0; i < 3; i++) {
    const start = process.hrtime.bigint();
    createHash('sha256').update(bytes).digest('hex');
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

/**
 * Median milliseconds of each step's `run`, the steps taken in turn, after
 * one round of warm-up (the first import in this process loads its modules
 * and the native addon); `before` and `after` (making and removing each
 * run's directory) are not timed.
 */
async function medianMsInTurn(steps, runs) {
  const times = steps.map(() => []);
  for (let i = 0; i < 1 + runs; i++) {
    for (const [s, step] of steps.entries()) {
      const dir = step.before?.();
      const start = process.hrtime.bigint();
      await step.run(dir);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      step.after?.(dir);
      if (i > 0) times[s].push(ms);
    }
  }
  return times.map(median);
}

/** A command that must fail with `expected` in its error (a start-up timed up to its first check). */
function mustFail(argv, expected, options = {}) {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', ...options });
  if (r.status === 0 || !r.stderr.includes(expected)) throw new Error(`${argv.join(' ')} exited ${r.status}, expected an error naming ${expected}: ${(r.stderr || String(r.error)).trim()}`);
}

function must(argv, options = {}) {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${(r.stderr || String(r.error)).trim()}`);
}

async function main() {
  if (process.getuid() !== 0) throw new Error('the storage bench mounts overlays: run it as root');
  const root = mkdtempSync(join(tmpdir(), 'kit-bench-'));
  const paths = { data: join(root, 'data'), state: join(root, 'run') };
  const store = new ImageStore(paths);
  try {
    const small = await image(paths, store, 'small', 0);
    const large = await image(paths, store, 'large', LARGE_MB);
    const rows = [];
    for (const driver of [overlay2, vfs]) {
      rows.push({ driver: driver.name, small: await createTime(paths, store, small, driver), large: await createTime(paths, store, large, driver) });
    }
    console.log(`container create time (median of ${RUNS}), small image ~2 MB vs large image ~${LARGE_MB + 2} MB`);
    console.log(`${'driver'.padEnd(10)}${'small'.padStart(12)}${'large'.padStart(12)}${'large/small'.padStart(14)}`);
    for (const r of rows) console.log(`${r.driver.padEnd(10)}${`${r.small.toFixed(1)} ms`.padStart(12)}${`${r.large.toFixed(1)} ms`.padStart(12)}${`${(r.large / r.small).toFixed(1)}x`.padStart(14)}`);
    const [o, v] = rows;
    console.log(`vfs / overlay2 on the large image: ${(v.large / o.large).toFixed(0)}x`);
    await importAgainstTar(root, LARGE_MB);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench: ${err.message}`);
  process.exit(1);
});
