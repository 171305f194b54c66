import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadChapters } from '../../chapters';
import { loadLabs } from '../../labs';

/**
 * Chapters and labs are listed in chapters/index.ts and labs/catalog.ts (the
 * CLI is one bundled file, which cannot read its folders): a chapter file or
 * a lab folder missing from its list is a chapter or lab no user could run.
 */
const repo = join(__dirname, '..', '..');

test('every file in chapters/ is a chapter kit lists, and each id once', () => {
  const files = readdirSync(join(repo, 'chapters')).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.replace(/\.ts$/, ''));
  const ids = loadChapters().map((c) => c.id);
  expect([...ids].sort()).toEqual(files.sort());
  expect(new Set(ids).size).toBe(ids.length);
});

test('every folder in labs/ with a check is a lab kit lists, and each id once', () => {
  const folders = readdirSync(join(repo, 'labs'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(repo, 'labs', d.name, 'check.ts')))
    .map((d) => d.name);
  const ids = loadLabs().map((l) => l.id);
  expect([...ids].sort()).toEqual(folders.sort());
  expect(new Set(ids).size).toBe(ids.length);
});
