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
'use strict';
const { readdirSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');
const esbuild = require('esbuild');

const root = join(__dirname, '..');
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

const result = esbuild.buildSync({
  stdin: { contents: entry, resolveDir: dist, sourcefile: 'kit-entry.js', loader: 'js' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: join(dist, 'kit.js'),
  write: false, // written below, whole: a kit started meanwhile reads the old bundle or the new one
  // the addon is loaded by path at run time (core/native.ts); tsx only by the lab runner, a process of its
  // own; oclif loads typescript and ts-node only to run a plugin's sources in development
  external: ['*.node', 'tsx', 'tsx/*', 'typescript', 'ts-node'],
  logLevel: 'warning',
  legalComments: 'none',
  // Not minified: with V8's code cache (bin/run.js) a smaller file starts no faster, and stack traces stay readable.
  // KIT_BUNDLE_META=FILE: what went into the bundle and how big (esbuild's metafile, for its analyzer).
  metafile: Boolean(process.env.KIT_BUNDLE_META),
});
if (result.metafile) writeFileSync(process.env.KIT_BUNDLE_META, JSON.stringify(result.metafile));
const [bundle] = result.outputFiles;
writeFileSync(`${bundle.path}.tmp`, bundle.contents);
renameSync(`${bundle.path}.tmp`, bundle.path);
// V8's code caches of the old bundle (bin/run.js) are for other code.
for (const name of readdirSync(dist)) if (name.startsWith('kit.js.cache')) rmSync(join(dist, name), { force: true });
