#!/usr/bin/env node
/**
 * Container create time by storage driver and image size (needs root and a
 * build; part of `sudo npm run bench`, or alone: `sudo node test/bench/storage.js`).
 * overlay2 mounts the layers where they are, so its time should not grow with
 * the image; vfs copies them, so its time should grow with the image.
 */
const { spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync, mkdirSync } = require('node:fs');
const { randomBytes } = require('node:crypto');
const { loadavg, tmpdir } = require('node:os');
const { join } = require('node:path');

const core = (file) => require(join(__dirname, '..', '..', 'dist', 'core', file));
const { ImageStore } = core('image/store');
const { storeLayer, createContainerLayer } = core('storage/containers');
const { busyboxLayer } = core('curriculum/demo-image');
const { overlay2 } = core('storage/overlay2');
const { vfs } = core('storage/vfs');
const { withHostChanges } = core('engine/session');

const LARGE_MB = Number(process.env.BENCH_LARGE_MB ?? 200);
const RUNS = 5;

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
 * `kit image import` of a flat root filesystem tarball (one layer: read,
 * checked entry by entry, hashed, extracted) against plain `tar -x` of the
 * same file into a directory.
 */
function importAgainstTar(root, megabytes) {
  const src = join(root, 'import-src');
  mkdirSync(join(src, 'data'), { recursive: true });
  for (let i = 0; i < megabytes; i++) writeFileSync(join(src, 'data', `blob${i}`), randomBytes(1 << 20));
  const tar = join(root, 'import.tar');
  must(['tar', '-C', src, '-cf', tar, '.']);
  rmSync(src, { recursive: true, force: true });
  const bin = join(__dirname, '..', '..', 'bin', 'run.js');
  // In turn (kit, tar, kit, tar...): the load of a shared machine moves from minute to minute.
  // Each side writes into a new directory and only its own work is timed: kit
  // imports into an empty kit root (a layer it has already would be extracted,
  // found a duplicate and removed, which is not a first import), and neither
  // removal is in the time (tar's `rm -rf` was, until 2026-11-30: in kit's favour).
  const fresh = (prefix) => mkdtempSync(join(root, prefix));
  const [kitMs, tarMs] = medianMsInTurn([
    { before: () => fresh('kit-root-'), run: (dir) => must([bin, 'image', 'import', tar, '--name', 'bench'], { env: { ...process.env, KIT_ROOT: dir } }) },
    { before: () => fresh('tar-x-'), run: (dir) => must(['tar', '-C', dir, '-xf', tar]) },
  ], (dir) => rmSync(dir, { recursive: true, force: true }));
  console.log(`import of a ${megabytes} MB tarball (median of ${RUNS}, in turn; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}): kit image import ${kitMs.toFixed(0)} ms, tar -x ${tarMs.toFixed(0)} ms: kit has ${(tarMs / kitMs).toFixed(2)}x tar's speed`);
}

/** Median milliseconds of each step's `run`, the steps taken in turn; `before` and `after` are not timed. */
function medianMsInTurn(steps, after) {
  const times = steps.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    for (const [s, step] of steps.entries()) {
      const dir = step.before();
      const start = process.hrtime.bigint();
      step.run(dir);
      times[s].push(Number(process.hrtime.bigint() - start) / 1e6);
      after(dir);
    }
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(RUNS / 2)]);
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
    importAgainstTar(root, LARGE_MB);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench: ${err.message}`);
  process.exit(1);
});
