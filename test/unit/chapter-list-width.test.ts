import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..');

/** `kit chapter` (the list) as a user runs it, at a terminal width; its words, for comparison. */
function list(columns: string | undefined, args: string[] = []) {
  const root = mkdtempSync(join(tmpdir(), 'kit-chapter-list-'));
  try {
    const env = { ...process.env, KIT_ROOT: root, NO_COLOR: '1' } as NodeJS.ProcessEnv;
    delete env.COLUMNS;
    if (columns) env.COLUMNS = columns;
    const r = spawnSync(process.execPath, [join(repo, 'bin', 'run.js'), 'chapter', ...args], { encoding: 'utf8', env });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return r.stdout;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
const words = (text: string) => text.split(/\s+/).filter(Boolean);

test.each([['80'], ['60']])('kit chapter at COLUMNS=%s: every line fits, no word is lost', (columns) => {
  const out = list(columns);
  const wide = out.split('\n').filter((line) => line.length > Number(columns));
  expect(wide).toEqual([]);
  expect(words(out)).toEqual(words(list(undefined))); // piped with no width: not cut, the same words
  expect(out).toMatch(/^seccomp {2}seccomp: a filter in front of every system call$/m);
});

test('kit chapter --width 60 fits too', () => {
  expect(list(undefined, ['--width', '60']).split('\n').filter((line) => line.length > 60)).toEqual([]);
});
