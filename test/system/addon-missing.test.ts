import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostSnapshot, requireRoot, tempKitRoot } from '../support/kit';

/**
 * A copy of the installed CLI without a usable native-rs/, so the shared tree
 * (and the tests running on it in parallel) stays untouched.
 */
requireRoot();
const repo = join(__dirname, '..', '..');
const copy = mkdtempSync(join(tmpdir(), 'kit-noaddon-'));
const kr = tempKitRoot();
for (const part of ['bin', 'dist', 'package.json', 'oclif.manifest.json']) cpSync(join(repo, part), join(copy, part), { recursive: true });
symlinkSync(join(repo, 'node_modules'), join(copy, 'node_modules'));
afterAll(() => {
  expect(hostSnapshot(kr.root).containers).toEqual([]);
  rmSync(copy, { recursive: true, force: true });
  kr.cleanup();
});

function kitCopy(args: string[]) {
  return spawnSync(process.execPath, [join(copy, 'bin', 'run.js'), ...args], { env: kr.env, encoding: 'utf8' });
}

test('a missing addon is one line telling to run npm install, exit 1, no stack trace', () => {
  const r = kitCopy(['chapter', 'pid']);
  expect(r.status).toBe(1);
  expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^kit: kit's native addon is missing .*; run `npm install` \(or `npm run build`\)/)]);
  // The chapter streams: its story may come before the addon is needed, but never a stack trace.
  expect(r.stdout).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
});

test('an addon that does not load (another Node, a broken build) is one line too', () => {
  mkdirSync(join(copy, 'native-rs'), { recursive: true });
  writeFileSync(join(copy, 'native-rs', 'kit.node'), 'not a shared object');
  const r = kitCopy(['chapter', 'uts']);
  expect(r.status).toBe(1);
  expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^kit: kit's native addon could not be loaded: .*it may be built for another Node; run `npm install`/)]);
});
