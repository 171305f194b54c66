#!/usr/bin/env node
// `npm run bench` part 1: the commands as users type them, side by side with
// the tools they are measured against, in the same run on the same machine:
//   kit --version                       vs  node -e 0
//   kit run --network none base true    vs  podman run --rm --network none (runc)
//   kit run -p H:C base true            vs  podman run --rm -p H:C (runc)
// Both container runtimes run the same busybox root filesystem. It prints
// medians, ratios and peak RSS; nothing is asserted. Needs root and a build;
// podman is installed with apt-get when missing (Debian's, with the settings
// this host needs: runc, the cgroupfs manager, the file events logger).
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const RUNS = Number(process.env.KIT_BENCH_CLI_RUNS || 15);
const BIN = join(__dirname, '..', '..', 'bin', 'run.js');

function must(argv, options = {}) {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${(r.stderr || String(r.error)).trim()}`);
  return r.stdout;
}

const installed = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

/** Median wall time (ms) and median peak RSS (KiB, of the biggest process) of argv, from GNU time. */
function measure(argv, env) {
  const times = [];
  const rss = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', ...argv], { encoding: 'utf8', env, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
    if (i < 2) continue; // warm-up: caches, the base image, podman's storage
    times.push(ms);
    rss.push(Number(r.stderr.trim().split('\n').pop()));
  }
  const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
  return { ms: median(times), rssKiB: median(rss) };
}

/** podman with a private root and the settings this sandbox needs; the busybox rootfs imported as an image. */
function podman(work) {
  if (!installed('podman')) {
    console.log('podman: not installed, installing it with apt-get (Debian)');
    must(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'podman', 'runc'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  const conf = join(work, 'containers.conf');
  writeFileSync(conf, [
    '[containers]', 'default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]',
    '[engine]', 'runtime = "runc"', 'cgroup_manager = "cgroupfs"', 'events_logger = "file"', '',
  ].join('\n'));
  const env = { ...process.env, CONTAINERS_CONF: conf };
  const base = ['podman', '--root', join(work, 'podman-root'), '--runroot', join(work, 'podman-run')];
  must([...base, 'import', join(work, 'base-rootfs.tar'), 'kit-bench-busybox'], { env });
  return { base, env, cleanup: () => spawnSync(base[0], [...base.slice(1), 'system', 'reset', '--force'], { env, stdio: 'ignore' }) };
}

/** kit's base image as a flat root filesystem tarball, which podman imports: both run the very same files. */
function exportBase(kitEnv, work) {
  must([process.execPath, BIN, 'image', 'export', 'base', '-o', join(work, 'base-rootfs.tar')], { env: kitEnv });
}

function main() {
  if (process.getuid() !== 0) throw new Error('the benchmark runs containers: run it as root (sudo npm run bench)');
  const work = mkdtempSync(join(tmpdir(), 'kit-bench-cli-'));
  const kitEnv = { ...process.env, KIT_ROOT: join(work, 'kit'), NO_COLOR: '1' };
  const kit = [process.execPath, BIN];
  const rows = [];
  let pm;
  try {
    must([...kit, 'image', 'ls'], { env: kitEnv }); // builds base
    exportBase(kitEnv, work);
    pm = podman(work);
    const port = 40000 + (process.pid % 10000);
    rows.push(['start-up', 'kit --version', measure([...kit, '--version'], kitEnv), 'node -e 0', measure([process.execPath, '-e', '0'])]);
    rows.push(['no network', 'kit run --network none base true', measure([...kit, 'run', '--network', 'none', 'base', 'true'], kitEnv),
      'podman run --rm --network none', measure([...pm.base, 'run', '--rm', '--network', 'none', 'kit-bench-busybox', '/bin/true'], pm.env)]);
    rows.push(['tracing (printed on stderr)', 'kit run --trace --network none base true', measure([...kit, 'run', '--trace', '--network', 'none', 'base', 'true'], kitEnv),
      'kit run --network none base true', measure([...kit, 'run', '--network', 'none', 'base', 'true'], kitEnv)]);
    rows.push(['bridge + -p', `kit run -p ${port}:80 base true`, measure([...kit, 'run', '-p', `${port}:80`, 'base', 'true'], kitEnv),
      `podman run --rm -p ${port + 1}:80`, measure([...pm.base, 'run', '--rm', '-p', `${port + 1}:80`, 'kit-bench-busybox', '/bin/true'], pm.env)]);
  } finally {
    if (pm) pm.cleanup();
    spawnSync(process.execPath, [BIN, 'network', 'prune'], { env: kitEnv, stdio: 'ignore' });
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`the commands as users type them: median of ${RUNS} runs, wall time and peak RSS (GNU time)`);
  for (const [what, kitName, k, otherName, o] of rows) {
    console.log(`  ${what}`);
    console.log(`    ${kitName.padEnd(40)} ${k.ms.toFixed(0).padStart(6)} ms ${String(Math.round(k.rssKiB / 1024)).padStart(4)} MB`);
    console.log(`    ${otherName.padEnd(40)} ${o.ms.toFixed(0).padStart(6)} ms ${String(Math.round(o.rssKiB / 1024)).padStart(4)} MB   ${otherName.startsWith('kit') ? 'on/off' : `kit/${otherName.split(' ')[0]}`}: ${(k.ms / o.ms).toFixed(2)}x`);
  }
}

try {
  main();
} catch (err) {
  console.error(`bench: ${err.message}`);
  process.exitCode = 1;
}
