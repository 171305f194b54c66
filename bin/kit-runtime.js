#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node
// kit-runtime: kit as an OCI runtime, with runc's command line (the verbs are
// in bin/runtime-cli.js). podman (through conmon) and containerd's shim start
// it several times per container, each call a new process, so it starts as
// `kit` does: one bundled file (dist/kit-runtime.js, built by bin/bundle.js)
// loaded with V8's code cache, one per verb, and each verb then loads only
// the modules it needs (core/runtime.ts).
'use strict';

const { existsSync, writeSync } = require('node:fs');
const { join } = require('node:path');
const { loadBundle } = require('./load-bundle');

const bundleFile = join(__dirname, '..', 'dist', 'kit-runtime.js');
if (!existsSync(bundleFile)) {
  writeSync(2, `kit-runtime: ${bundleFile} is missing: kit is not built; run \`npm run build\` in ${join(__dirname, '..')}\n`);
  process.exit(1);
}
loadBundle(bundleFile, verb(process.argv.slice(2)), module).main();

/** The verb (start, state...), past the global flags: each verb has its own code cache. */
function verb(argv) {
  for (let i = 0; i < argv.length; i++) {
    if (['--root', '--log', '--log-format', '--rootless', '--criu'].includes(argv[i])) i++;
    else if (!argv[i].startsWith('-')) return /^[a-z]{1,20}$/.test(argv[i]) ? argv[i] : 'other';
  }
  return 'other';
}
