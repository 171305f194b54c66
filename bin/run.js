#!/usr/bin/env -S node --
// kit's CLI entry: the CLI is one file, dist/kit.js (oclif and every command,
// bundled by bin/bundle.js at build), where oclif finds the commands (see
// package.json oclif.commands).
'use strict';
// The `--` in the line above ends node's own options: node 20 looks for its
// --env-file anywhere in argv, even after the script (nodejs/node#54232), so
// `kit run --env-file FILE` would be node's, and a missing FILE node's exit 9.

const { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

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
  const bundleFile = join(__dirname, '..', 'dist', 'kit.js');
  if (!existsSync(bundleFile)) {
    process.stderr.write(`kit: ${bundleFile} is missing: kit is not built; run \`npm run build\` in ${join(__dirname, '..')}\n`);
    process.exit(1);
  }
  const { oclif } = loadBundle(bundleFile);
  oclif.execute({ dir: __dirname }).catch(oclif.handle);
}

/**
 * Load the bundle as require() would, with V8's code cache: V8 takes the
 * compiled code of the 1.8 MB bundle from a cache file instead of parsing it
 * and compiling again each function the command calls, a third of kit's
 * start-up. Node 20 has no compile cache of its own (module.enableCompileCache
 * is Node 22's), so kit keeps one per command (dist/kit.js.cache.run holds
 * what `kit run` compiled), written at the end of the command's first run
 * (or when V8 refused it: a rebuilt bundle, another Node) by whoever may
 * write in dist/; others run uncached. Its first line names the bundle's size
 * and mtime, since V8 checks only the source's length. Dynamic import() in
 * the bundle keeps Node's own loader.
 */
function loadBundle(file) {
  const vm = require('node:vm');
  if (!vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER) return require(file); // Node < 20.12
  const Module = require('node:module');
  const cacheFile = `${file}.cache.${cacheName()}`;
  const stat = statSync(file);
  const key = Buffer.from(`kit-code-cache ${stat.size} ${stat.mtimeMs} ${process.version} ${process.arch}\n`);
  let cachedData;
  try {
    const cache = readFileSync(cacheFile);
    if (cache.subarray(0, key.length).equals(key)) cachedData = cache.subarray(key.length);
  } catch {
    // no cache yet
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(file, 'utf8')}\n});`;
  const script = new vm.Script(wrapper, { filename: file, cachedData, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  // Registered as require() would, so oclif's require of the bundle (its command target) finds this one.
  const bundle = new Module(file, module);
  bundle.filename = file;
  bundle.paths = Module._nodeModulePaths(join(file, '..'));
  Module._cache[file] = bundle;
  script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, join(file, '..'));
  bundle.loaded = true;
  if (!cachedData || script.cachedDataRejected) {
    // At exit: the cache then holds every function this command compiled.
    process.once('exit', (code) => {
      if (code !== 0) return; // a typo, a failed command: not what the command usually runs
      const tmp = `${cacheFile}.${process.pid}`;
      try {
        writeFileSync(tmp, Buffer.concat([key, script.createCachedData()]));
        renameSync(tmp, cacheFile);
      } catch {
        // dist/ is not ours to write (a user without root): run uncached
        rmSync(tmp, { force: true });
      }
    });
  }
  return bundle.exports;
}

/**
 * The command's first word (run, image, chapter), else "kit" (help, flags).
 * A word that is no command fails, and a failed command writes no cache.
 */
function cacheName() {
  const word = process.argv[2] ?? '';
  return /^[a-z][a-z-]{0,30}$/.test(word) ? word : 'kit';
}
