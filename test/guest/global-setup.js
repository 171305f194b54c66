// `npm run test:guest`, before the host's guest.test.ts: build (or reuse) the
// guest, write the run.sh it runs, boot it. The run's directory (kit-run-*,
// under the guest cache) holds results.jsonl, run.log, console.log and status;
// guest.test.ts reads it from KIT_GUEST_OUT.
const { spawnSync } = require('node:child_process');
const { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const repo = join(__dirname, '..', '..');
const casesConfig = 'test/guest/cases/jest.config.js';

module.exports = async function globalSetup() {
  if (process.getuid() !== 0) throw new Error('the guest tests boot qemu and share the host root with it: run `sudo npm run test:guest`');
  const build = spawnSync('bash', [join(__dirname, 'build.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (build.status !== 0) throw new Error(`test/guest/build.sh failed (exit ${build.status}): see its output above`);
  const guest = build.stdout.trim().split('\n').pop();
  const cache = dirname(guest);
  // Only the last run is kept (for reading its logs after a failure).
  for (const name of readdirSync(cache)) if (name.startsWith('kit-run-')) rmSync(join(cache, name), { recursive: true, force: true });
  const out = mkdtempSync(join(cache, 'kit-run-'));
  const jestCache = join(cache, 'kit-jest-cache');
  mkdirSync(jestCache, { recursive: true });
  warmTransformCache(jestCache);
  const only = process.env.KIT_GUEST_TESTS ? ` -t ${shellQuote(process.env.KIT_GUEST_TESTS)}` : '';
  writeFileSync(join(out, 'run.sh'), [
    `cd ${shellQuote(repo)} || exit 1`,
    `export NO_COLOR=1 FORCE_COLOR=0 CI=true KIT_IN_GUEST=1 KIT_GUEST_OUT=${shellQuote(out)}`,
    `node node_modules/jest/bin/jest.js -c ${casesConfig} --runInBand --ci --cacheDirectory=${shellQuote(jestCache)}${only}`,
    '',
  ].join('\n'));
  const started = Date.now();
  const boot = spawnSync('bash', [join(__dirname, 'boot.sh'), guest, out, jestCache], { encoding: 'utf8', stdio: ['ignore', 'inherit', 'inherit'] });
  process.stderr.write(`\nguest: ${readFile(join(guest, 'kernel-release'))} booted and ran the tests in ${Math.round((Date.now() - started) / 1000)} s (boot.sh exit ${boot.status}); logs in ${out}\n`);
  process.env.KIT_GUEST_OUT = out;
};

/**
 * TypeScript compiles ~19x faster here than in the guest: let the host's jest
 * transform the case files into the cache the guest's jest reads (same
 * config, same paths, so the same cache keys). The cases refuse to run
 * outside the guest, so this run only transforms them; its result is ignored.
 */
function warmTransformCache(jestCache) {
  spawnSync(process.execPath, [join(repo, 'node_modules/jest/bin/jest.js'), '-c', casesConfig, '--runInBand', '--ci', `--cacheDirectory=${jestCache}`], { cwd: repo, stdio: 'ignore', env: { ...process.env, KIT_GUEST_OUT: '' } });
}

function shellQuote(s) {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function readFile(path) {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '?';
  }
}
