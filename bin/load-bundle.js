// Loads one of kit's bundles (dist/kit.js, the CLI; dist/kit-runtime.js, the
// OCI runtime; both built by bin/bundle.js) as require() would, with V8's
// code cache. Shared by bin/run.js and bin/kit-runtime.js.
'use strict';

const { readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

/**
 * Load the bundle as require() would, with V8's code cache: V8 takes the
 * compiled code of the bundle from a cache file instead of parsing it and
 * compiling again each function the command calls, a third of kit's
 * start-up. Node 20 has no compile cache of its own (module.enableCompileCache
 * is Node 22's), so kit keeps one per command (dist/kit.js.cache.run holds
 * what `kit run` compiled; `name` says which), written at the end of the
 * command's first run (or when V8 refused it: a rebuilt bundle, another
 * Node) by whoever may write in dist/; others run uncached. Its first line
 * names the bundle's size and mtime, since V8 checks only the source's
 * length. Dynamic import() in the bundle keeps Node's own loader.
 */
function loadBundle(file, name, parent) {
  const vm = require('node:vm');
  if (!vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER) return require(file); // Node < 20.12
  const Module = require('node:module');
  const cacheFile = `${file}.cache.${name}`;
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
  const bundle = new Module(file, parent);
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

module.exports = { loadBundle };
