#!/usr/bin/env node
// `npm run bench`: how long kit takes to start, run and reap a container
// (/bin/true in new pid, mount, uts and ipc namespaces), next to the real
// tools doing the same on this machine. Runs over dist/ (npm run build first).
// Needs root; crun and runc are skipped with a note when not installed.
const { spawnSync } = require('node:child_process');
const { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } = require('node:fs');
const { loadavg, tmpdir } = require('node:os');
const { join } = require('node:path');
const { runContainer, ensureImage } = require('../../dist/core');

const RUNS = Number(process.env.KIT_BENCH_RUNS || 50);
const WARMUP = 3;
const NAMESPACES = ['pid', 'mount', 'uts', 'ipc'];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Median milliseconds of each [name, run], the runs taken in turn (one of
 * each, then again): on a machine others share, the load moves from minute
 * to minute, and blocks timed minutes apart would measure it, not the tools.
 */
async function measureInTurn(tools) {
  const times = tools.map(() => []);
  for (let i = 0; i < WARMUP + RUNS; i++) {
    for (const [t, [, run]] of tools.entries()) {
      const start = process.hrtime.bigint();
      await run();
      if (i >= WARMUP) times[t].push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return tools.map(([name], t) => [name, median(times[t])]);
}

function must(argv, options = {}) {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr || r.error}`);
}

function installed(tool) {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

/** A minimal OCI bundle: busybox as the rootfs, `true` as the process, kit's namespaces. */
function makeBundle(dir, tool) {
  mkdirSync(join(dir, 'rootfs', 'bin'), { recursive: true });
  copyFileSync('/bin/busybox', join(dir, 'rootfs', 'bin', 'busybox'));
  symlinkSync('busybox', join(dir, 'rootfs', 'bin', 'true'));
  must([tool, 'spec'], { cwd: dir });
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  config.process.terminal = false;
  config.process.args = ['/bin/true'];
  config.linux.namespaces = NAMESPACES.map((type) => ({ type }));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
}

function ociTool(tool, work, stateDir) {
  const bundle = join(work, `${tool}-bundle`);
  const state = join(stateDir, tool); // a private --root: no clash with other users of the tool
  makeBundle(bundle, tool);
  let n = 0;
  const run = async () => {
    const id = `kit-bench-${process.pid}-${n++}`;
    must([tool, '--root', state, 'run', '--bundle', bundle, id], { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const cleanup = () => {
    for (let i = 0; i < n; i++) spawnSync(tool, ['--root', state, 'delete', '--force', `kit-bench-${process.pid}-${i}`], { stdio: 'ignore' });
  };
  return { run, cleanup };
}

async function main() {
  if (process.getuid() !== 0) throw new Error('the benchmark creates namespaces: run it as root (sudo npm run bench)');
  const work = mkdtempSync(join(tmpdir(), 'kit-bench-'));
  const paths = { data: join(work, 'data'), state: join(work, 'run') };
  const cleanups = [];
  const results = [];
  try {
    // State on a tmpfs, as by default (kit's /run/kit, runc's /run/runc); images and bundles on disk.
    for (const dir of [paths.state, join(work, 'oci-state')]) {
      mkdirSync(dir, { recursive: true });
      must(['mount', '-t', 'tmpfs', '-o', 'mode=0700', 'kit-bench-state', dir]);
      cleanups.push(() => spawnSync('umount', [dir]).status === 0 || spawnSync('umount', ['-l', dir]));
    }
    const kitSpec = { command: ['/bin/true'], env: [], namespaces: NAMESPACES };
    // What runc does for its bundle: the image as root (pivot_root), /proc /sys /dev, a cgroup with a limit.
    await ensureImage(paths, 'base', () => undefined);
    const fullSpec = { ...kitSpec, image: 'base', env: ['PATH=/bin'], resources: { cpuQuota: 50000 } };
    const kitRun = (spec) => async () => {
      const r = await runContainer(spec, { paths });
      if (r.exitCode !== 0) throw new Error(`kit container exited ${r.exitCode}`);
    };
    const tools = [
      ['kit (runContainer)', kitRun(kitSpec)],
      ['unshare -fpmui --mount-proc', async () => must(['unshare', '-fpmui', '--mount-proc', 'true'])],
      ['kit (runContainer) + rootfs + cgroup', kitRun(fullSpec)],
    ];
    for (const tool of ['crun', 'runc']) {
      if (!installed(tool)) {
        console.log(`${tool}: not installed, skipped`);
        continue;
      }
      const oci = ociTool(tool, work, join(work, 'oci-state'));
      cleanups.push(oci.cleanup);
      try {
        await oci.run();
        tools.push([`${tool} run (busybox bundle)`, oci.run]);
      } catch (err) {
        // e.g. crun 1.8 refuses a hybrid cgroup host whose cgroup2 has a controller
        console.log(`${tool}: cannot run containers on this host, skipped (${err.message.trim().split('\n').pop()})`);
      }
    }
    results.push(...(await measureInTurn(tools)));
  } finally {
    for (const cleanup of cleanups.reverse()) cleanup(); // the tools' own clean-up before their state is unmounted
    rmSync(work, { recursive: true, force: true });
  }
  report(results);
}

function report(results) {
  const kitMs = results[0][1];
  const fullMs = results.find(([name]) => name.includes('rootfs'))[1];
  console.log(`container start + run /bin/true + exit, median of ${RUNS} runs taken in turn (${NAMESPACES.join(', ')} namespaces); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  for (const [name, ms] of results) {
    // runc and crun make a root filesystem and a cgroup: compared with kit doing the same.
    const ratio = name.startsWith('kit') ? '' : `   kit takes ${((/run \(/.test(name) ? fullMs : kitMs) / ms).toFixed(2)}x its time`;
    console.log(`  ${name.padEnd(38)} ${ms.toFixed(2).padStart(8)} ms${ratio}`);
  }
  console.log('note: unshare is compared with kit\'s namespaces alone; crun and runc (a rootfs, /dev, a cgroup) with kit + rootfs + cgroup.');
}

main().catch((err) => {
  console.error(`bench: ${err.message}`);
  process.exitCode = 1;
});
