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
const { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
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

/**
 * The bundle in ASCII alone. With a single other character, Node decodes the
 * whole file into a two-byte string, which V8 then keeps and reads as such:
 * loading the bundle (bin/load-bundle.js) took 46 ms instead of 35 (medians
 * of 40 in turn), at every command's start, for five characters. esbuild
 * (charset ascii, its default) escapes strings, templates and names; what it
 * leaves is in regular expressions and comments (an ANSI pattern of a
 * package, kit's `µs` and `✓`), where `\uXXXX` means the same code unit. A
 * backslash before such a character (an identity escape) fails the build:
 * look again.
 */
function asciiOnly(text) {
  return text.replace(/(\\*)([^\x00-\x7f])/g, (match, backslashes, char) => {
    if (backslashes.length % 2) throw new Error(`bin/bundle.js: the bundle escapes a non-ASCII character with a backslash (${JSON.stringify(match)}): look at asciiOnly again`);
    return backslashes + `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

const dist = join(root, 'dist');

/**
 * core's public entry point (dist/core/index.js, tsc's output of
 * core/index.ts) re-exports the whole engine, and tsc makes each re-export
 * an eager require: every command ran ~200 of core's modules at start-up
 * (the engine, plans, storage drivers, zod's schemas), `kit image import`
 * too, which uses a dozen of them. In the bundle each `var m_1 =
 * require("./m")` of that file becomes a module loaded at its first use
 * (the re-export's getter reads a property of it), so a command runs only
 * the modules it reaches, in the order it reaches them. Any other use of
 * such a variable fails the build (a new shape of tsc's output: look again).
 * Modules that must run for their effect import what they need themselves
 * (core/undo-handlers.ts by whoever replays a journal).
 */
const CORE_INDEX = /[\\/]dist[\\/]core[\\/]index\.js$/;

function lazyReexports(text, file) {
  const required = [...text.matchAll(/^var (\w+) = require\(("\.[^"]+")\);$/gm)];
  if (required.length < 20) throw new Error(`bin/bundle.js: ${file} has ${required.length} re-exports of the form var m_1 = require("./m"): look at lazyReexports again`);
  for (const [line, name] of required) {
    const uses = text.split('\n').filter((l) => l !== line && new RegExp(`\\b${name}\\b`).test(l));
    const stray = uses.find((l) => !/^Object\.defineProperty\(exports, "\w+", \{ enumerable: true, get: function \(\) \{ return (__importDefault\(\w+\)|\w+)\.\w+; \} \}\);$/.test(l));
    if (stray !== undefined || uses.length === 0) throw new Error(`bin/bundle.js: ${file} uses ${name} outside a re-export's getter (${stray}): look at lazyReexports again`);
  }
  const lazy = 'function kitLazyModule(load) { let loaded; return new Proxy({}, { get: (_, key) => (loaded ??= load())[key] }); }\n';
  return lazy + text.replace(/^var (\w+) = require\(("\.[^"]+")\);$/gm, 'var $1 = kitLazyModule(() => require($2));');
}

/** The esbuild plugin that gives the CLI's bundle lazyReexports. */
const lazyCoreIndex = {
  name: 'kit-lazy-core-index',
  setup(build) {
    build.onLoad({ filter: CORE_INDEX }, ({ path }) => ({ contents: lazyReexports(readFileSync(path, 'utf8'), path), loader: 'js' }));
  },
};

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

/** The CLI bundle's entry: the command map, the not-found hook, oclif. */
function cliEntry() {
  return [
    "'use strict';",
    'exports.COMMANDS = {};',
    ...commandFiles(join(dist, 'bin', 'commands')).map(([id, file]) =>
      `Object.defineProperty(exports.COMMANDS, ${JSON.stringify(id)}, { enumerable: true, get: () => require(${JSON.stringify(file)}).default });`),
    "exports.notFound = function (options) { return require('./bin/hooks/not-found').default.call(this, options); };",
    "exports.oclif = require('@oclif/core');",
  ].join('\n');
}

/**
 * One bundle: built in memory, then written whole (temp + rename), so a kit
 * started meanwhile reads the old bundle or the new one; V8's code caches of
 * the old one (bin/load-bundle.js) are for other code and go.
 */
async function bundle(name, build, meta, edit = (text) => text) {
  const result = await esbuild.build({
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
async function main() {
  await bundle('kit.js', { stdin: { contents: cliEntry(), resolveDir: dist, sourcefile: 'kit-entry.js', loader: 'js' }, plugins: [lazyCoreIndex] }, process.env.KIT_BUNDLE_META, (text) => asciiOnly(patchOclif(text)));
  // kit-runtime (bin/kit-runtime.js loads it): its verbs and what of core they use (core/runtime.ts).
  await bundle('kit-runtime.js', { entryPoints: [join(root, 'bin', 'runtime-cli.js')], alias: { 'node:child_process': join(root, 'bin', 'lazy-child-process.js') } });
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}

module.exports = { lazyReexports, asciiOnly };
