#!/usr/bin/env node
// Builds native-rs: the Node addon (kit.node and its TypeScript declarations
// kit.d.ts, through napi-rs's `napi build`) and the kit-init helper binary,
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
run('cargo', ['build', '--release', '--quiet', '--bin', 'kit-init']);
fs.copyFileSync(path.join(here, 'target/release/kit-init'), path.join(here, 'kit-init'));
fs.chmodSync(path.join(here, 'kit-init'), 0o755);
