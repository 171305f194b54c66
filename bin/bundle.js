#!/usr/bin/env node
// Builds dist/kit.js: the CLI (oclif, every command, core, chapters and labs,
// from tsc's output in dist/) as one file, which bin/run.js loads. Node then
// reads and compiles one file instead of resolving ~370 modules one by one
// (a stat and a package.json lookup each): `kit run` starts in about half
// the time. Modules still run only when first required (esbuild keeps each
// CommonJS module behind its own wrapper), so `kit run` does not evaluate the
// image or lab code it does not use.
//
// oclif finds the commands in it through the explicit strategy (package.json
// oclif.commands): COMMANDS maps each id to its class, each a getter that
// loads the one command being run. The list is read from dist/bin/commands,
// so adding a command is still adding one file.
//
// It also builds dist/kit-runtime.js, kit's OCI runtime (bin/runtime-cli.js
// and the part of core it reaches through core/runtime.ts), loaded the same
// way by bin/kit-runtime.js.
'use strict';
const { readdirSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');
const esbuild = require('esbuild');

const root = join(__dirname, '..');

/**
 * Edits to oclif's code in the CLI's bundle (esbuild's output, which keeps
 * oclif's lines as they are), each one for start-up time; the build fails
 * when a text is not there exactly once (an oclif upgrade: look again).
 * - Plugin.load sorts the command list with localeCompare at every start:
 *   the first localeCompare of a process builds ICU's collator, 12-30 ms,
 *   more than the rest of oclif's work for `kit run`. kit's command ids are
 *   lowercase letters, ':' and '-', which ICU's root collation orders as
 *   UTF-16 code units do (test/unit/cli-bundle.test.ts checks it for every
 *   command), so the list comes out in the same order.
 * - its index checks the Node version against the engines of the package.json
 *   above it (kit's) with the semver package, which it loads for that alone
 *   (1-7 ms at every start): bin/run.js gives the same warning from kit's
 *   engines, ">=20", without it.
 */
const OCLIF_PATCHES = [
  {
    from: '.sort((a, b) => a.id.localeCompare(b.id));',
    to: '.sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0);',
  },
  {
    from: '    checkCWD();\n    checkNodeVersion();\n',
    to: '    checkCWD();\n',
  },
];

function patchOclif(text) {
  for (const { from, to } of OCLIF_PATCHES) {
    const at = text.indexOf(from);
    if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`bin/bundle.js: the bundle holds ${JSON.stringify(from)} ${at < 0 ? 'nowhere' : 'more than once'}: look at OCLIF_PATCHES again`);
    text = text.slice(0, at) + to + text.slice(at + from.length);
  }
  return text;
}

const dist = join(root, 'dist');

/** dist/bin/commands/image/ls.js -> ['image:ls', './bin/commands/image/ls.js'] */
function commandFiles(dir) {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return commandFiles(path);
    if (!name.endsWith('.js')) return [];
    const rel = relative(join(dist, 'bin', 'commands'), path).replace(/\.js$/, '');
    const id = rel.split('/').filter((part) => part !== 'index').join(':');
    return [[id, './' + relative(dist, path)]];
  });
}

const entry = [
  "'use strict';",
  'exports.COMMANDS = {};',
  ...commandFiles(join(dist, 'bin', 'commands')).map(([id, file]) =>
    `Object.defineProperty(exports.COMMANDS, ${JSON.stringify(id)}, { enumerable: true, get: () => require(${JSON.stringify(file)}).default });`),
  "exports.notFound = function (options) { return require('./bin/hooks/not-found').default.call(this, options); };",
  "exports.oclif = require('@oclif/core');",
].join('\n');

/**
 * One bundle: built in memory, then written whole (temp + rename), so a kit
 * started meanwhile reads the old bundle or the new one; V8's code caches of
 * the old one (bin/load-bundle.js) are for other code and go.
 */
function bundle(name, build, meta, edit = (text) => text) {
  const result = esbuild.buildSync({
    ...build,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: join(dist, name),
    write: false,
    // the addon is loaded by path at run time (core/native.ts); tsx only by the lab runner, a process of its
    // own; oclif loads typescript and ts-node only to run a plugin's sources in development
    external: ['*.node', 'tsx', 'tsx/*', 'typescript', 'ts-node'],
    logLevel: 'warning',
    legalComments: 'none',
    // Not minified: with V8's code cache a smaller file starts no faster, and stack traces stay readable.
    metafile: Boolean(meta),
  });
  if (result.metafile) writeFileSync(meta, JSON.stringify(result.metafile));
  const [file] = result.outputFiles;
  writeFileSync(`${file.path}.tmp`, edit(file.text));
  renameSync(`${file.path}.tmp`, file.path);
  for (const old of readdirSync(dist)) if (old.startsWith(`${name}.cache`)) rmSync(join(dist, old), { force: true });
}

// KIT_BUNDLE_META=FILE: what went into the CLI's bundle and how big (esbuild's metafile, for its analyzer).
bundle('kit.js', { stdin: { contents: entry, resolveDir: dist, sourcefile: 'kit-entry.js', loader: 'js' } }, process.env.KIT_BUNDLE_META, patchOclif);
// kit-runtime (bin/kit-runtime.js loads it): its verbs and what of core they use (core/runtime.ts).
bundle('kit-runtime.js', { entryPoints: [join(root, 'bin', 'runtime-cli.js')], alias: { 'node:child_process': join(root, 'bin', 'lazy-child-process.js') } });
