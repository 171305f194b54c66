#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node --
// kit's CLI entry: the CLI is one file, dist/kit.js (oclif and every command,
// bundled by bin/bundle.js at build), where oclif finds the commands (see
// package.json oclif.commands).
'use strict';
// The `--` in the line above ends node's own options: node 20 looks for its
// --env-file anywhere in argv, even after the script (nodejs/node#54232), so
// `kit run --env-file FILE` would be node's, and a missing FILE node's exit 9.
// `-u NODE_EXTRA_CA_CERTS`: Node 20 reads and parses that file of CA
// certificates (often the system's whole bundle, ~140 certificates) at every
// start, before any of kit runs: 50-100 ms on the project's machine, half of
// a `kit run`. kit never makes a TLS connection (it has no registry access),
// so kit, and the processes it starts, run without it.

const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { loadBundle } = require('./load-bundle');

// `kit --version` answers before oclif loads: oclif's start-up (its own
// modules, its config and plugin lookup) costs more than Node's, and a
// version check needs none of it. The line is the one oclif prints.
if (process.argv.length === 3 && ['--version', '-v'].includes(process.argv[2])) {
  const { version } = require('../package.json');
  process.stdout.write(`kit/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  // kit runs its bundle, never its TypeScript sources: when NODE_ENV is test
  // or development (jest sets it), oclif would load typescript and tsx to look for them.
  globalThis.oclif = Object.assign(globalThis.oclif ?? {}, { enableAutoTranspile: false });
  warnOldNode();
  const bundleFile = join(__dirname, '..', 'dist', 'kit.js');
  if (!existsSync(bundleFile)) {
    process.stderr.write(`kit: ${bundleFile} is missing: kit is not built; run \`npm run build\` in ${join(__dirname, '..')}\n`);
    process.exit(1);
  }
  const { oclif } = loadBundle(bundleFile, cacheName(), module);
  oclif.execute({ dir: __dirname }).catch(oclif.handle);
}

/**
 * oclif's warning for a Node older than package.json's engines, without
 * oclif's semver (bin/bundle.js drops oclif's check): kit's engines is ">=N".
 */
function warnOldNode() {
  const { engines } = require('../package.json');
  const minimum = Number(/^>=\s*(\d+)$/.exec(engines.node)?.[1]);
  if (Number(process.versions.node.split('.')[0]) < minimum) {
    process.emitWarning(`Node version must be ${engines.node} to use this CLI. Current node version: ${process.versions.node}`);
  }
}

/**
 * The command's first word (run, chapter), or its two for a command of a
 * topic (image-import, image-ls: `kit image ls` compiles none of the
 * import's code, and a cache written by the one would leave the other to
 * compile its code at every start), else "kit" (help, flags). A word that
 * is no command fails, and a failed command writes no cache. With --trace,
 * a cache of its own (run-trace): a plain `kit run` renders no trace, so
 * with its cache `kit run --trace` compiled the renderer, chalk's styling
 * and the width code at every run, most of what --trace cost.
 */
function cacheName() {
  const [word = '', sub = ''] = process.argv.slice(2);
  const isWord = (w) => /^[a-z][a-z-]{0,30}$/.test(w);
  if (!isWord(word)) return 'kit';
  const command = isWord(sub) && existsSync(join(__dirname, '..', 'dist', 'bin', 'commands', word, `${sub}.js`)) ? `${word}-${sub}` : word;
  return process.argv.includes('--trace') ? `${command}-trace` : command;
}
