#!/usr/bin/env node
// `npm run bench` part 1: the commands as users type them, side by side with
// the tools they are measured against, in the same run on the same machine:
//   kit --version                       vs  node -e 0
//   kit run --network none base true    vs  podman run --rm --network none (runc)
//   kit run -p H:C base true            vs  podman run --rm -p H:C (runc)
//   podman --runtime kit-runtime run    vs  podman run (runc): kit as podman's OCI runtime
// Both container runtimes run the same busybox root filesystem, with their
// images on disk and their state on a tmpfs, as by default. It prints
// medians, ratios and peak RSS; nothing is asserted. Needs root and a build;
// podman is installed with apt-get when missing (Debian's, with the settings
// this host needs: runc, the cgroupfs manager, the file events logger).
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdirSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { loadavg, tmpdir } = require('node:os');
const { join } = require('node:path');

const RUNS = Number(process.env.KIT_BENCH_CLI_RUNS || 15);
const BIN = join(__dirname, '..', '..', 'bin', 'run.js');

function must(argv, options = {}) {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${(r.stderr || String(r.error)).trim()}`);
  return r.stdout;
}

const installed = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

/** One run of argv: wall time (ms) and peak RSS (KiB, of the biggest process, from GNU time). */
function once(argv, env) {
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', ...argv], { encoding: 'utf8', env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  return { ms, rssKiB: Number(r.stderr.trim().split('\n').pop()) };
}

/**
 * Medians of two commands run in turn (a b, b a, a b...): on a machine others
 * share, the load moves from minute to minute, and a ratio of two blocks
 * timed minutes apart measures the load as much as the commands.
 */
function measurePair([argvA, envA], [argvB, envB]) {
  const runs = [[], []];
  for (let i = 0; i < RUNS + 2; i++) {
    // Which goes first alternates: what one command leaves running as it returns (podman's
    // clean-up process, a page cache warmed) then weighs on each side alike.
    let a, b;
    if (i % 2 === 0) [a, b] = [once(argvA, envA), once(argvB, envB)];
    else [b, a] = [once(argvB, envB), once(argvA, envA)];
    if (i < 2) continue; // warm-up: caches, the base image, podman's storage
    runs[0].push(a);
    runs[1].push(b);
  }
  const median = (v) => [...v].sort((x, y) => x - y)[v.length >> 1];
  return runs.map((r) => ({ ms: median(r.map((x) => x.ms)), rssKiB: median(r.map((x) => x.rssKiB)) }));
}

/**
 * A tmpfs mounted at dir, for a tool's state: both keep theirs on a tmpfs by
 * default (kit in /run/kit, podman in /run/containers) and their images on
 * disk, and so do they here. Returns its unmount.
 */
function stateTmpfs(dir) {
  mkdirSync(dir, { recursive: true });
  must(['mount', '-t', 'tmpfs', '-o', 'mode=0700', 'kit-bench-state', dir]);
  return () => spawnSync('umount', [dir]).status === 0 || spawnSync('umount', ['-l', dir]);
}

/** podman with a private root and the settings this sandbox needs; the busybox rootfs imported as an image. */
function podman(work, runroot) {
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
  const base = ['podman', '--root', join(work, 'podman-root'), '--runroot', runroot];
  must([...base, 'import', join(work, 'base-rootfs.tar'), 'kit-bench-busybox'], { env });
  return { base, env, cleanup: () => spawnSync(base[0], [...base.slice(1), 'system', 'reset', '--force'], { env, stdio: 'ignore' }) };
}

/**
 * A network namespace of the bench's own, for podman -p. podman's CNI
 * plugins add iptables chains when they publish a port, and keep the
 * shared ones (CNI-HOSTPORT-DNAT, CNI-FORWARD...) after the container is
 * gone, as Docker keeps DOCKER; on the host they would stay behind, and the
 * bench cannot tell them from another podman user's to remove them. Run in
 * here (nsenter --net: the same podman, bridge, veth and rules, only in
 * another netns), they go with it when the bench deletes it by its name.
 */
function privateNetns() {
  const name = `kit-bench-${process.pid}`;
  must(['ip', 'netns', 'add', name]);
  must(['ip', '-n', name, 'link', 'set', 'lo', 'up']);
  return { enter: ['nsenter', `--net=/run/netns/${name}`], remove: () => spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' }) };
}

/** The host's iptables lines (every table) that are podman's: its CNI chains and rules, its bridge. */
function podmanRules() {
  const r = spawnSync('iptables-save', [], { encoding: 'utf8' });
  return new Set((r.stdout ?? '').split('\n').filter((l) => /CNI|cni-podman|podman/i.test(l)));
}

/**
 * kit-runtime as podman runs a custom runtime (no --root passed): a wrapper
 * giving it a root of its own in the work dir. The executable is what `kit
 * runtime path` prints: the native fast path (start, delete), which execs
 * Node's bin/kit-runtime.js for the rest (create).
 */
function kitRuntimeWrapper(work) {
  const wrapper = join(work, 'kit-runtime-wrapper');
  const runtime = join(__dirname, '..', '..', 'native-rs', 'kit-runtime');
  writeFileSync(wrapper, `#!/bin/sh\nexec ${JSON.stringify(runtime)} --root ${JSON.stringify(join(work, 'kit-runtime'))} "$@"\n`, { mode: 0o755 });
  return wrapper;
}

/** kit's base image as a flat root filesystem tarball, which podman imports: both run the very same files. */
function exportBase(kitEnv, work) {
  must([process.execPath, BIN, 'image', 'export', 'base', '-o', join(work, 'base-rootfs.tar')], { env: kitEnv });
}

function main() {
  if (process.getuid() !== 0) throw new Error('the benchmark runs containers: run it as root (sudo npm run bench)');
  const work = mkdtempSync(join(tmpdir(), 'kit-bench-cli-'));
  const kitEnv = { ...process.env, KIT_ROOT: join(work, 'kit'), NO_COLOR: '1' };
  const kit = [BIN]; // run as `kit` on PATH runs: through its #! line (which leaves NODE_EXTRA_CA_CERTS out)
  const rows = [];
  const unmounts = [];
  let pm;
  let netns;
  const podmanBefore = podmanRules();
  try {
    // kit-runtime's --root too: its default, /run/kit-runtime, is on a tmpfs, as runc's /run/runc
    unmounts.push(stateTmpfs(join(work, 'kit', 'run')), stateTmpfs(join(work, 'podman-run')), stateTmpfs(join(work, 'kit-runtime')));
    must([...kit, 'image', 'ls'], { env: kitEnv }); // builds base
    exportBase(kitEnv, work);
    pm = podman(work, join(work, 'podman-run'));
    const port = 40000 + (process.pid % 10000);
    const row = (what, kitName, kitRun, otherName, otherRun) => {
      const [k, o] = measurePair(kitRun, otherRun);
      rows.push([what, kitName, k, otherName, o]);
    };
    // Node's own start, as kit's: without NODE_EXTRA_CA_CERTS, which kit's #! line leaves out and Node parses at start-up
    const bareNode = { ...process.env };
    delete bareNode.NODE_EXTRA_CA_CERTS;
    row('start-up', 'kit --version', [[...kit, '--version'], kitEnv], 'node -e 0', [[process.execPath, '-e', '0'], bareNode]);
    row('no network', 'kit run --network none base true', [[...kit, 'run', '--network', 'none', 'base', 'true'], kitEnv],
      'podman run --rm --network none', [[...pm.base, 'run', '--rm', '--network', 'none', 'kit-bench-busybox', '/bin/true'], pm.env]);
    // Both with the same environment and stderr (a pipe this bench reads, as GNU time's line); the trace
    // fitted to 100 columns (COLUMNS), as a terminal's, since fitting the lines is part of what it costs.
    const terminalWide = { ...kitEnv, COLUMNS: '100' };
    row('tracing (printed on stderr, 100 columns)', 'kit run --trace --network none base true', [[...kit, 'run', '--trace', '--network', 'none', 'base', 'true'], terminalWide],
      'kit run --network none base true', [[...kit, 'run', '--network', 'none', 'base', 'true'], terminalWide]);
    const ociRun = ['run', '--rm', '--network', 'none', 'kit-bench-busybox', '/bin/true'];
    row('podman with kit as its OCI runtime', 'podman --runtime kit-runtime run --rm', [[...pm.base, '--runtime', kitRuntimeWrapper(work), ...ociRun], pm.env],
      'podman run --rm (runc)', [[...pm.base, ...ociRun], pm.env]);
    netns = privateNetns();
    row('bridge + -p', `kit run -p ${port}:80 base true`, [[...kit, 'run', '-p', `${port}:80`, 'base', 'true'], kitEnv],
      `podman run --rm -p ${port + 1}:80`, [[...netns.enter, ...pm.base, 'run', '--rm', '-p', `${port + 1}:80`, 'kit-bench-busybox', '/bin/true'], pm.env]);
  } finally {
    if (pm) pm.cleanup();
    netns?.remove();
    spawnSync(process.execPath, [BIN, 'network', 'prune'], { env: kitEnv, stdio: 'ignore' });
    for (const unmount of unmounts) unmount();
    rmSync(work, { recursive: true, force: true });
  }
  const left = [...podmanRules()].filter((l) => !podmanBefore.has(l));
  const podmanLeft = left.length ? `podman left ${left.length} iptables lines on the host: ${left.join(' | ')}` : "nothing of podman's left in the host's iptables (podman -p ran in a network namespace of the bench's, now deleted)";
  console.log(`the commands as users type them: median of ${RUNS} runs, each pair run in turn, which goes first alternating; wall time and peak RSS (GNU time); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  for (const [what, kitName, k, otherName, o] of rows) {
    console.log(`  ${what}`);
    console.log(`    ${kitName.padEnd(40)} ${k.ms.toFixed(0).padStart(6)} ms ${String(Math.round(k.rssKiB / 1024)).padStart(4)} MB`);
    console.log(`    ${otherName.padEnd(40)} ${o.ms.toFixed(0).padStart(6)} ms ${String(Math.round(o.rssKiB / 1024)).padStart(4)} MB   ${otherName.startsWith('kit') ? 'on/off' : kitName.startsWith('podman') ? 'kit-runtime/runc' : `kit/${otherName.split(' ')[0]}`}: ${(k.ms / o.ms).toFixed(2)}x`);
  }
  console.log(podmanLeft);
}

try {
  main();
} catch (err) {
  console.error(`bench: ${err.message}`);
  process.exitCode = 1;
}
