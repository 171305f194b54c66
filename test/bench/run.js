#!/usr/bin/env node
// `npm run bench` part 2: kit's engine in one process (runContainer, no CLI
// start-up) against the real tools doing the same work on this machine:
//   namespaces only (pid, mount, uts, ipc; /bin/true)   vs  unshare -fpmui --mount-proc
//   the very bundle runc runs (its config.json, its     vs  runc run (crun too, where it
//   rootfs dir: pivot_root, /proc /sys /dev, masked         can run on this host)
//   paths, the devices cgroup, capabilities, rlimits)
//   kit's own image (overlay2) + a --cpu-quota cgroup       (shown, not compared: runc has no image)
// and then tracing on (every event rendered, as --trace prints it) against
// off, in the same process, interleaved. Runs over dist/ (npm run build
// first). Needs root; crun and runc are skipped with a note when missing.
'use strict';
const { spawnSync } = require('node:child_process');
const { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync, writeSync } = require('node:fs');
const { loadavg, tmpdir } = require('node:os');
const { join } = require('node:path');
const { runContainer, ensureImage, bundleSpec } = require('../../dist/core');
const { PlainRunPrinter } = require('../../dist/bin/render/run-plain');

const RUNS = Number(process.env.KIT_BENCH_RUNS || 50);
/** Trace on/off: pairs of runs (each pair in both orders, on-off then off-on, so a drifting load favours neither). */
const TRACE_PAIRS = Number(process.env.KIT_BENCH_TRACE_PAIRS || 4 * RUNS);
const WARMUP = 3;
const NAMESPACES = ['pid', 'mount', 'uts', 'ipc'];

const sorted = (values) => [...values].sort((a, b) => a - b);
function quantile(values, q) {
  const s = sorted(values);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (at - lo);
}
const median = (values) => quantile(values, 0.5);

async function timed(run) {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
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
      const ms = await timed(run);
      if (i >= WARMUP) times[t].push(ms);
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

/**
 * A minimal OCI bundle: `<tool> spec`'s config (its mounts, masked and
 * read-only paths, capabilities, rlimits, devices cgroup; no seccomp), busybox
 * as the rootfs, `true` as the process, kit's four namespaces. The root stays
 * writable: kit-runtime does not take a read-only root yet, and runc then
 * skips its remount too.
 */
function makeBundle(dir, tool) {
  mkdirSync(join(dir, 'rootfs', 'bin'), { recursive: true });
  copyFileSync('/bin/busybox', join(dir, 'rootfs', 'bin', 'busybox'));
  symlinkSync('busybox', join(dir, 'rootfs', 'bin', 'true'));
  must([tool, 'spec'], { cwd: dir });
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  config.process.terminal = false;
  config.process.args = ['/bin/true'];
  config.root.readonly = false;
  config.linux.namespaces = NAMESPACES.map((type) => ({ type }));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
}

function ociTool(tool, bundle, stateDir) {
  const state = join(stateDir, tool); // a private --root: no clash with other users of the tool
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
  try {
    // State on a tmpfs, as by default (kit's /run/kit, runc's /run/runc); images and bundles on disk.
    for (const dir of [paths.state, join(work, 'oci-state')]) {
      mkdirSync(dir, { recursive: true });
      must(['mount', '-t', 'tmpfs', '-o', 'mode=0700', 'kit-bench-state', dir]);
      cleanups.push(() => spawnSync('umount', [dir]).status === 0 || spawnSync('umount', ['-l', dir]));
    }
    const bundle = join(work, 'bundle');
    makeBundle(bundle, installed('runc') ? 'runc' : 'crun');
    await ensureImage(paths, 'base', () => undefined);
    const kitRun = (spec, onEvent) => async () => {
      const r = await runContainer(spec, { paths, onEvent });
      if (r.exitCode !== 0) throw new Error(`kit container exited ${r.exitCode}: ${r.stderr}`);
    };
    const sameBundle = bundleSpec(bundle);
    const tools = [
      ['kit, namespaces only', kitRun({ command: ['/bin/true'], env: [], namespaces: NAMESPACES })],
      ['unshare -fpmui --mount-proc', async () => must(['unshare', '-fpmui', '--mount-proc', 'true'])],
      ['kit, the bundle', kitRun(sameBundle)],
      ['kit, image base (overlay2) + --cpu-quota', kitRun({ command: ['/bin/true'], env: ['PATH=/bin'], namespaces: NAMESPACES, image: 'base', resources: { cpuQuota: 50000 } })],
    ];
    for (const tool of ['crun', 'runc']) {
      if (!installed(tool)) {
        console.log(`${tool}: not installed, skipped`);
        continue;
      }
      const oci = ociTool(tool, bundle, join(work, 'oci-state'));
      cleanups.push(oci.cleanup);
      try {
        await oci.run();
        tools.push([`${tool} run, the bundle`, oci.run]);
      } catch (err) {
        // e.g. crun 1.8 refuses a hybrid cgroup host whose cgroup2 has a controller
        console.log(`${tool}: cannot run containers on this host, skipped (${err.message.trim().split('\n').pop()})`);
      }
    }
    const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
    const loadBefore = load();
    report(await measureInTurn(tools), `${loadBefore} -> ${load()}`);
    reportTrace(await traceOnOff(kitRun, sameBundle), load());
  } finally {
    for (const cleanup of cleanups.reverse()) cleanup(); // the tools' own clean-up before their state is unmounted
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Tracing on against off, where the noise is small: the engine in this one
 * process (no CLI start-up, whose time would swamp a few percent), the same
 * bundle, runs in pairs whose order alternates. Both feed every event to
 * `kit run`'s own printer (bin/render/run-plain.ts), as the CLI does: with
 * --trace it renders each one and writes them to stderr, here /dev/null (a
 * terminal's own speed is not kit's); without, it prints nothing. Wall time
 * and this process's CPU time (user + system, all its threads) per run: on
 * a shared machine the wall time carries the load; CPU time is kit's work.
 */
async function traceOnOff(kitRun, spec) {
  const sink = openSync('/dev/null', 'w');
  try {
    const out = { stdout: (text) => writeSync(sink, text), stderr: (text) => writeSync(sink, text) };
    const printing = (trace) => {
      const printer = new PlainRunPrinter({ trace, width: 120 }, out);
      const run = kitRun(spec, (event) => printer.feed({ type: 'trace', event }));
      // The printer renders a burst in the event loop's next turn: what is still held when the run ends
      // is printed inside the timed run, as `kit run` prints it at the end record.
      return async () => {
        await run();
        printer.flush();
      };
    };
    const runs = { on: printing(true), off: printing(false) };
    const times = { on: [], off: [] };
    const cpu = { on: [], off: [] };
    const ratios = [];
    for (let i = 0; i < WARMUP + TRACE_PAIRS; i++) {
      const order = i % 2 ? ['off', 'on'] : ['on', 'off'];
      const ms = {};
      const cpuMs = {};
      for (const which of order) {
        const before = process.cpuUsage();
        ms[which] = await timed(runs[which]);
        const used = process.cpuUsage(before);
        cpuMs[which] = (used.user + used.system) / 1000;
      }
      if (i < WARMUP) continue;
      for (const which of order) {
        times[which].push(ms[which]);
        cpu[which].push(cpuMs[which]);
      }
      ratios.push(ms.on / ms.off);
    }
    return { times, cpu, ratios };
  } finally {
    closeSync(sink);
  }
}

function report(results, load) {
  const ms = Object.fromEntries(results);
  console.log(`container start + run /bin/true + exit, kit's engine in this process, median of ${RUNS} runs taken in turn (${NAMESPACES.join(', ')} namespaces); load average ${load}`);
  for (const [name, value] of results) {
    // unshare against kit's namespaces alone; runc and crun against kit running their very bundle.
    const mine = name.startsWith('unshare') ? ms['kit, namespaces only'] : name.includes(' run, the bundle') ? ms['kit, the bundle'] : undefined;
    const ratio = mine === undefined ? '' : `   kit takes ${(mine / value).toFixed(2)}x its time`;
    console.log(`  ${name.padEnd(42)} ${value.toFixed(2).padStart(8)} ms${ratio}`);
  }
  console.log("note: \"the bundle\" is one OCI bundle (runc spec's config.json, busybox rootfs dir) that kit (bundleSpec, as kit-runtime reads it) and runc both run: the same mounts, masked paths, devices cgroup, capabilities; neither adds seccomp. The image row adds kit's overlay2 mount and a cpu limit, which runc's bundle has not.");
}

function reportTrace({ times, cpu, ratios }, load) {
  const percent = (x) => `${x >= 1 ? '+' : ''}${((x - 1) * 100).toFixed(1)}%`;
  const spread = (v) => `quartiles ${quantile(v, 0.25).toFixed(2)}..${quantile(v, 0.75).toFixed(2)}`;
  console.log(`tracing on (kit run's printer, every event rendered, to /dev/null) vs off (the same printer, no --trace), kit's engine running the bundle, ${ratios.length} pairs in alternating order; load average ${load}`);
  for (const which of ['on', 'off']) {
    console.log(`  ${which.padEnd(3)} wall ${median(times[which]).toFixed(2).padStart(7)} ms (${spread(times[which])})   cpu ${median(cpu[which]).toFixed(2).padStart(6)} ms (${spread(cpu[which])})`);
  }
  console.log(`  on/off: wall ${percent(median(times.on) / median(times.off))} (median of the pairs' ratios ${percent(median(ratios))}, middle half ${percent(quantile(ratios, 0.25))}..${percent(quantile(ratios, 0.75))}); cpu ${percent(median(cpu.on) / median(cpu.off))}`);
}

main().catch((err) => {
  console.error(`bench: ${err.message}`);
  process.exitCode = 1;
});
