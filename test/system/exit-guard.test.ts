import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanKitRoot, kit } from '../support/kit';

/**
 * kit ends promptly and leaves nothing behind when its reader goes away
 * (`| head -1`) or it hits an error nothing catches, even while a native
 * wait4 for its container blocks a thread (Node could not exit until the
 * container ended by itself).
 */
const BIN = join(__dirname, '..', '..', 'bin', 'run.js');
const kr = cleanKitRoot();
beforeAll(() => expect(kit(['image', 'ls'], kr.env).status).toBe(0)); // builds base once

/** Processes whose command line holds `mark`. */
function processesWith(mark: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(mark);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** A bash line; how long it took and what it printed. */
function shell(line: string, env: NodeJS.ProcessEnv = kr.env) {
  const start = Date.now();
  const r = spawnSync('bash', ['-c', line], { env, encoding: 'utf8', timeout: 90000 });
  return { ...r, ms: Date.now() - start };
}

test('kit run --trace 2>&1 | head -1: kit\'s next write fails (EPIPE), it exits 141 at once, quietly, and the container is gone', () => {
  const mark = `kit-epipe-${process.pid}`;
  const r = shell(`"${process.execPath}" "${BIN}" run --trace base sh -c 'sleep 1; echo x; sleep 60; : ${mark}' 2>&1 | head -1; echo "kit-status=\${PIPESTATUS[0]}"`);
  // Long before the container's 60 s sleep would have ended by itself.
  expect(r.ms).toBeLessThan(20000);
  expect(r.stdout).toMatch(/^\[host\] .*\nkit-status=141\n$/);
  expect(r.stderr).toBe('');
  expect(processesWith(mark)).toEqual([]);
});

test('the exact case: kit run --trace base sh -c "sleep 1; echo x" | head -1 returns within a few seconds', () => {
  const r = shell(`"${process.execPath}" "${BIN}" run --trace base sh -c 'sleep 1; echo x' 2>/dev/null | head -1`);
  expect(r.stdout).toBe('x\n');
  expect(r.ms).toBeLessThan(15000);
});

test('an error nothing catches, while the container runs: printed, the container stopped and undone, kit exits 134', () => {
  // Injected from outside kit's code: a preload that throws a second after the container's state dir appears.
  const boom = join(kr.root, 'boom.js');
  const dir = JSON.stringify(join(kr.root, 'run', 'containers'));
  writeFileSync(boom, `const fs = require('fs');
const poll = setInterval(() => {
  if (!fs.existsSync(${dir}) || !fs.readdirSync(${dir}).length) return;
  clearInterval(poll);
  setTimeout(() => { throw new Error('injected failure'); }, 1000);
}, 50);
poll.unref();
`);
  const mark = `kit-crash-${process.pid}`;
  const start = Date.now();
  const r = spawnSync(process.execPath, ['--require', boom, BIN, 'run', 'base', 'sh', '-c', `sleep 60; : ${mark}`], { env: kr.env, encoding: 'utf8', timeout: 90000 });
  expect(Date.now() - start).toBeLessThan(20000);
  expect(r.status).toBe(134);
  expect(r.stderr).toMatch(/^kit: internal error: Error: injected failure/m);
  expect(r.stderr).toMatch(/kit: internal error \(above\): container \w+ was stopped and its host changes undone/);
  expect(processesWith(mark)).toEqual([]);
});
