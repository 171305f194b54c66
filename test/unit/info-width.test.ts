import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..');

test('kit info at COLUMNS=60: every line fits, a long one goes on under its text, no word is lost', () => {
  const root = mkdtempSync(join(tmpdir(), 'kit-info-width-'));
  try {
    const run = (columns?: string) => {
      const env: NodeJS.ProcessEnv = { ...process.env, KIT_ROOT: root, NO_COLOR: '1' };
      delete env.COLUMNS;
      if (columns) env.COLUMNS = columns;
      const r = spawnSync(process.execPath, [join(repo, 'bin', 'run.js'), 'info'], { encoding: 'utf8', env });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      return r.stdout;
    };
    const narrow = run('60');
    expect(narrow.split('\n').filter((l) => l.length > 60)).toEqual([]);
    expect(narrow).toMatch(/^ {2}Why: .*\n {4}\S/m); // the reason is long on every host: it wraps, hanging under "Why:"
    const words = (s: string) => s.split(/\s+/).filter(Boolean);
    expect(words(narrow)).toEqual(words(run()));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
