#!/usr/bin/env node
// kit's CLI entry: oclif finds the commands in dist/bin/commands (see package.json).
const oclif = require('@oclif/core');

oclif.execute({ dir: __dirname }).catch(oclif.handle);
