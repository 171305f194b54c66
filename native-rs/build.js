#!/usr/bin/env node
// Builds native-rs: the Node addon (kit.node and its TypeScript declarations
// kit.d.ts, through napi-rs's `napi build`), the kit-init helper binary and
// kit-runtime's native fast path,
// all placed next to this file where core/native.ts looks for them.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const here = __dirname;
const cargo = spawnSync('cargo', ['--version'], { encoding: 'utf8' });
if (cargo.error || cargo.status !== 0) {
  console.error('kit: building native-rs needs Rust\'s cargo (https://rustup.rs), then run `npm run build` again.');
  process.exit(1);
}
const run = (cmd, args) => execFileSync(cmd, args, { cwd: here, stdio: 'inherit' });
const napi = path.join(here, '..', 'node_modules', '.bin', 'napi');
// The addon is the crate's library with the `addon` feature (napi-rs);
// kit-init is built without it, so it never links N-API.
run(napi, ['build', '--release', '--features', 'addon', '--output-dir', here, '--dts', 'kit.d.ts', '--no-dts-cache', '--', '--lib']);
// kit-runtime's native fast path execs this very node for the verbs it leaves to bin/kit-runtime.js
// (conmon runs the runtime with no PATH): KIT_NODE is compiled in (src/runtime/main.rs).
execFileSync('cargo', ['build', '--release', '--quiet', '--bin', 'kit-init', '--bin', 'kit-runtime'], { cwd: here, stdio: 'inherit', env: { ...process.env, KIT_NODE: process.execPath } });
for (const bin of ['kit-init', 'kit-runtime']) {
  // Written whole (temp + rename): a running kit-runtime keeps its file, the next one finds the new one.
  fs.copyFileSync(path.join(here, 'target/release', bin), path.join(here, `${bin}.tmp`));
  fs.chmodSync(path.join(here, `${bin}.tmp`), 0o755);
  fs.renameSync(path.join(here, `${bin}.tmp`), path.join(here, bin));
}
