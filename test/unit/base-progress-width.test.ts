import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..');

test("the base image's first build, at COLUMNS=60: kit's progress lines on stderr fit, none of their words lost", () => {
  const root = mkdtempSync(join(tmpdir(), 'kit-base-progress-'));
  try {
    const env = { ...process.env, KIT_ROOT: root, COLUMNS: '60', NO_COLOR: '1' };
    const r = spawnSync(process.execPath, [join(repo, 'bin', 'run.js'), 'image', 'ls'], { encoding: 'utf8', env });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^kit: building the default image 'base'/);
    expect(r.stderr.split('\n').filter((l) => l.length > 60)).toEqual([]);
    expect(r.stderr.replace(/\s+/g, ' ')).toMatch(/kit: \[2\/4\] copying host programs busybox does not provide \(with their ldd libraries\): /);
    expect(r.stderr).toMatch(/^kit: \[4\/4\] image 'base' is ready$/m);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.each([[['image', 'ls']], [['volume', 'ls']], [['lab']]])('kit %j refuses an unknown flag in one line, non-zero, as every command does', (args) => {
  const root = mkdtempSync(join(tmpdir(), 'kit-unknown-flag-'));
  try {
    const env = { ...process.env, KIT_ROOT: root, HOME: root, KIT_LABS_HOME: join(root, 'labs'), NO_COLOR: '1' };
    const r = spawnSync(process.execPath, [join(repo, 'bin', 'run.js'), ...args, '--bogus'], { encoding: 'utf8', env });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/--bogus/);
    expect(r.stdout).toBe('');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
