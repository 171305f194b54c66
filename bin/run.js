#!/usr/bin/env -S node --
// kit's CLI entry: oclif finds the commands in dist/bin/commands (see package.json).
'use strict';
// The `--` in the line above ends node's own options: node 20 looks for its
// --env-file anywhere in argv, even after the script (nodejs/node#54232), so
// `kit run --env-file FILE` would be node's, and a missing FILE node's exit 9.

// `kit --version` answers before oclif loads: oclif's start-up (its own
// modules, its config and plugin lookup) costs more than Node's, and a
// version check needs none of it. The line is the one oclif prints.
if (process.argv.length === 3 && ['--version', '-v'].includes(process.argv[2])) {
  const { version } = require('../package.json');
  process.stdout.write(`kit/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  const oclif = require('@oclif/core');
  oclif.execute({ dir: __dirname }).catch(oclif.handle);
}
