import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..');

test.each([
  [['chapter', 'pid', '--width', '10'], /^kit: flag --width: expected an integer greater than or equal to 20 but received: 10; see `kit chapter --help`$/, 2],
  [['lab', 'check', 'pid', '--width', 'abc'], /^kit: flag --width: expected an integer but received: abc; see `kit lab check --help`$/, 2],
])('kit %j: a flag value its parser refuses is one line naming it and the fix, not oclif\'s indented paragraph', (args, line, code) => {
  const root = mkdtempSync(join(tmpdir(), 'kit-flag-value-'));
  try {
    // jest's NODE_ENV=test makes oclif warn about a command whose parse threw: a user's shell has no such NODE_ENV.
    const env: NodeJS.ProcessEnv = { ...process.env, KIT_ROOT: root, HOME: root, KIT_LABS_HOME: join(root, 'labs'), NO_COLOR: '1' };
    delete env.NODE_ENV;
    const r = spawnSync(process.execPath, [join(repo, 'bin', 'run.js'), ...args], { encoding: 'utf8', env });
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(line);
    expect(r.status).toBe(code);
    expect(r.stdout).toBe('');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
