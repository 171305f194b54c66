// jest globalTeardown of the system project: kit0 and kit's shared rules are
// kept between containers (as docker0 is), so after the system tests kit
// removes them the way a user would, with `kit network prune`. It removes
// nothing while a container of another kit process still uses kit0.
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async function pruneNetwork() {
  const root = mkdtempSync(join(tmpdir(), 'kit-test-prune-'));
  try {
    const r = spawnSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'run.js'), 'network', 'prune'], { env: { ...process.env, KIT_ROOT: root }, encoding: 'utf8' });
    if (r.status !== 0) process.stderr.write(`kit network prune after the system tests: ${r.stderr}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
};
