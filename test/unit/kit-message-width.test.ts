import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..');

function kit(args: string[], columns?: number) {
  const root = mkdtempSync(join(tmpdir(), 'kit-message-width-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, KIT_ROOT: root, HOME: root, NO_COLOR: '1' };
    delete env.COLUMNS;
    if (columns) env.COLUMNS = String(columns);
    return spawnSync(process.execPath, [join(repo, 'bin', 'run.js'), ...args], { encoding: 'utf8', env });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

// A learner without root saw "kit: chapter 'layers' cannot run here: needs root: ..." 131 columns wide at COLUMNS=60.
test.each([[['chapter', 'nosuch']], [['nosuchcommand']]])('kit %j: its error fits COLUMNS=60, wrapped under the text after "kit: ", every word kept; piped without COLUMNS it is one line', (args) => {
  const piped = kit(args);
  expect(piped.status).not.toBe(0);
  const line = piped.stderr.trimEnd();
  expect(line.split('\n')).toHaveLength(1);
  expect(line.length).toBeGreaterThan(60);
  const narrow = kit(args, 60);
  expect(narrow.status).toBe(piped.status);
  const lines = narrow.stderr.trimEnd().split('\n');
  expect(lines.length).toBeGreaterThan(1);
  expect(lines.filter((l) => l.length > 60)).toEqual([]);
  expect(lines.slice(1).every((l) => l.startsWith('     ') && !l.startsWith('      '))).toBe(true);
  expect(lines.map((l) => l.trim()).join(' ')).toBe(line);
});
