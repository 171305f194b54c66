#!/usr/bin/env node
// `npm run soak -- --runs N --seed S [--parallel P] [--shared-host]`
//
// A random mix of what users do to kit, with the host compared before and
// after: chapters, runs with random flags (ports, limits, network modes,
// storage drivers, security options), detached containers stopped, removed
// or left to exit, kit itself SIGKILLed at random moments, bad inputs, and
// several of these at once. Then kit's own clean-up (`kit reset`, or
// `kit network prune` where reset is missing) and the comparison.
//
// It fails, printing the seed to replay, on: a stack trace or a JS error in
// kit's output, a step that hangs past its time limit, a bad input that exits
// 0 or answers with more than a line or two, a good run with the wrong exit
// code, and anything left on the host (host-snapshot.js lists what is looked
// at). --shared-host is for a machine where other kit users run at the same
// time: only what the soak's own KIT_ROOT owns is then compared.
// Runs over the built CLI (npm run build first); needs root.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { snapshot, difference } = require('./host-snapshot');
const { scenarios } = require('./scenarios');

const BIN = join(__dirname, '..', '..', 'bin', 'run.js');

function parseArgs(argv) {
  const opts = { runs: 100, seed: Date.now() % 1_000_000, parallel: 3, sharedHost: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--shared-host') opts.sharedHost = true;
    else if (['--runs', '--seed', '--parallel'].includes(a) && /^\d+$/.test(argv[i + 1] ?? '')) opts[a.slice(2)] = Number(argv[++i]);
    else throw new Error(`soak: unknown or incomplete argument ${a}; usage: npm run soak -- [--runs N] [--seed S] [--parallel P] [--shared-host]`);
  }
  return opts;
}

/** mulberry32: a small seeded generator, so a seed replays the same soak. */
function random(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

/** One kit command, with a time limit; killAfter SIGKILLs kit itself mid-run. */
function kit(env, args, { timeoutMs = 90_000, killAfter } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    let hung = false;
    const limit = setTimeout(() => { hung = true; child.kill('SIGKILL'); }, timeoutMs);
    const killer = killAfter === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfter);
    child.on('close', (status, signal) => {
      clearTimeout(limit);
      if (killer) clearTimeout(killer);
      resolve({ status, signal, stdout, stderr, hung });
    });
  });
}

const STACK = /^\s+at .+:\d+:\d+\)?$|\b(TypeError|RangeError|ReferenceError|SyntaxError)\b|Unhandled|EACCES: permission denied, /m;

/** What is wrong with one step's result, or undefined. */
function judge(step, r) {
  if (r.hung) return `hung past ${step.timeoutMs / 1000} s`;
  const output = r.stdout + r.stderr;
  if (STACK.test(output)) return `a stack trace or raw JS error:\n${indent(output)}`;
  if (step.killAfter !== undefined) return undefined; // SIGKILLed on purpose: what matters is what the next commands find
  if (step.bad) {
    if (r.status === 0) return `a bad input exited 0:\n${indent(output)}`;
    // A line kit wrapped to the width (COLUMNS) goes on indented: still one message.
    const said = r.stderr.trim().split('\n').filter((l) => !l.startsWith('kit: building') && !/^kit: \[\d\/\d\]/.test(l) && !/^\s/.test(l));
    if (said.length === 0 || said.length > 2) return `a bad input should be one clear line (and its fix), got ${said.length}:\n${indent(r.stderr)}`;
    return undefined;
  }
  if (step.expect !== undefined && r.status !== step.expect && !(step.alsoOk ?? []).includes(r.status)) {
    return `exit ${r.status}${r.signal ? ` (${r.signal})` : ''}, expected ${step.expect}:\n${indent(output)}`;
  }
  if (step.stdout && !step.stdout.test(r.stdout)) return `stdout does not match ${step.stdout}:\n${indent(output)}`;
  return undefined;
}

const indent = (s) => s.trim().split('\n').slice(-12).map((l) => `      ${l}`).join('\n');

/** Which flags and verbs this build of kit has (the soak follows kit as it grows). */
function capabilities(env) {
  const help = (args) => { const r = spawnSync(process.execPath, [BIN, ...args, '--help'], { env, encoding: 'utf8' }); return r.status === 0 ? r.stdout : ''; };
  const runHelp = help(['run']);
  const has = (flag) => runHelp.includes(flag);
  const chapters = JSON.parse(spawnSync(process.execPath, [BIN, 'chapter', '--json'], { env, encoding: 'utf8' }).stdout || '[]')
    .filter((c) => c.ready).map((c) => c.id);
  return { has, chapters, verb: (v) => help(v.split(' ')) !== '' };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (process.getuid() !== 0) throw new Error('soak: kit makes namespaces, links and cgroups: run it as root (sudo npm run soak)');
  const root = mkdtempSync(join(tmpdir(), 'kit-soak-'));
  const env = { ...process.env, KIT_ROOT: root, NO_COLOR: '1', FORCE_COLOR: '0', COLUMNS: '100' };
  const rng = random(opts.seed);
  console.log(`soak: seed ${opts.seed}, ${opts.runs} runs, up to ${opts.parallel} at once, kit root ${root}`);
  let failed = [];
  let passed = 0;
  try {
    const warm = await kit(env, ['image', 'ls']); // builds base once, outside the comparison
    if (warm.status !== 0) throw new Error(`soak: kit image ls failed: ${warm.stderr}`);
    const can = capabilities(env);
    const before = snapshot(root);
    const make = scenarios(rng, can, `soak${opts.seed}`);
    // Ctrl-C or SIGTERM: finish the steps in flight, then clean up as usual.
    let stopping = false;
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { stopping = true; console.log(`soak: ${signal}: stopping after the runs in flight`); });
    let n = 0;
    while (n < opts.runs && !stopping) {
      const batch = Array.from({ length: Math.min(rng.int(1, opts.parallel), opts.runs - n) }, () => make());
      n += batch.length;
      const results = await Promise.all(batch.map((s) => runScenario(env, s)));
      for (const [i, s] of batch.entries()) {
        const problem = results[i];
        const line = `${String(n - batch.length + i + 1).padStart(4)}/${opts.runs} ${s.name}`;
        if (problem) { failed.push(`${s.name}: ${problem}`); console.log(`${line}  FAIL\n${problem}`); }
        else { passed++; console.log(`${line}  ok`); }
      }
    }
    const leftovers = await cleanUp(env, can, make.names);
    failed = failed.concat(leftovers);
    const diff = difference(before, snapshot(root)).filter((d) => !opts.sharedHost || /^(mounts|processes|files): /.test(d) && d.includes(root));
    if (diff.length) failed.push(`the host differs after the soak and kit's clean-up:\n${diff.map((d) => `      ${d}`).join('\n')}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  for (const f of failed) console.log(`\nFAIL ${f}`);
  console.log(`\nseed ${opts.seed}${failed.length ? `: replay with npm run soak -- --runs ${opts.runs} --seed ${opts.seed}` : ''}`);
  console.log(`soak: ${passed} passed, ${failed.length} failed`);
  process.exitCode = failed.length ? 1 : 0;
}

/** Run a scenario's steps in order; the first problem ends it. */
async function runScenario(env, scenario) {
  for (const step of scenario.steps) {
    const r = await kit(env, step.args, step);
    const problem = judge(step, r);
    if (problem) return `kit ${step.args.join(' ')}: ${problem}`;
  }
  return undefined;
}

/** Remove every container the soak named (kept ones included), then kit's shared network; what fails is a leftover. */
async function cleanUp(env, can, names) {
  const problems = [];
  for (const name of names) {
    const r = await kit(env, ['rm', '-f', name]);
    if (r.status !== 0 && !/no such container/i.test(r.stderr)) problems.push(`kit rm -f ${name} exited ${r.status}: ${r.stderr.trim()}`);
  }
  const reset = can.verb('reset') ? await kit(env, ['reset']) : await kit(env, ['network', 'prune']);
  if (reset.status !== 0 || STACK.test(reset.stderr)) problems.push(`kit's clean-up exited ${reset.status}: ${reset.stderr.trim()}`);
  return problems;
}

main().catch((err) => { console.error(err.message); process.exitCode = 2; });
