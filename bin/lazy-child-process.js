// node:child_process as kit-runtime's bundle sees it (bin/bundle.js aliases
// it here): each function is loaded on its first use. Node's child_process
// brings net, dgram and streams with it, ~14 ms of every `kit-runtime
// create` that runs no hook and spawns nothing; the modules that spawn
// (hooks, rm -rf of a deep tree, iptables) name it at their top, as they
// should, and pay for it only when they do.
'use strict';

let loaded;
const real = () => (loaded ??= require('child_process'));
for (const name of ['ChildProcess', 'exec', 'execFile', 'execFileSync', 'execSync', 'fork', 'spawn', 'spawnSync']) {
  Object.defineProperty(exports, name, { enumerable: true, get: () => real()[name] });
}
