import { kit, tempKitRoot } from './support/kit';

const kr = tempKitRoot();
afterAll(() => kr.cleanup());

test('kit --help names every command with its one-line summary', () => {
  const r = kit(['--help'], kr.env);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/educational container kit/);
  expect(r.stdout).toMatch(/chapter\s+List the chapters, or run one/);
  expect(r.stdout).toMatch(/help\s+Show help for kit/);
});

test('kit help chapter is kit chapter --help: summary, description, flags and runnable examples', () => {
  const viaHelp = kit(['help', 'chapter'], kr.env);
  expect(viaHelp.status).toBe(0);
  expect(viaHelp.stdout).toBe(kit(['chapter', '--help'], kr.env).stdout);
  expect(viaHelp.stdout).toContain('needs root: run kit with sudo');
  expect(viaHelp.stdout).toMatch(/--strace\s+also run the real strace/);
  expect(viaHelp.stdout).toContain('$ kit chapter pid --strace --no-trace');
  // Paragraphs are wrapped by oclif, not by hand: no line ends mid-sentence with a lone word.
  for (const line of viaHelp.stdout.split('\n')) expect(line.trim()).not.toMatch(/^(and|it\.?)$/);
});
