import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kit, tempKitRoot } from '../support/kit';

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

test("a missing argument or an unknown flag is one line naming it and where the usage is; exit codes as Docker's CLI (1 for an argument, 125 for a flag), 2 for kit's own commands", () => {
  const cases: Array<[string[], string, number]> = [
    [['run'], 'kit: missing IMAGE; see `kit run --help`', 1],
    [['exec', 'web'], 'kit: missing COMMAND; see `kit exec --help`', 1],
    [['chapter', 'pid', '--bogus'], 'kit: unknown flag --bogus; see `kit chapter --help`', 2],
    [['run', '--memory'], 'kit: flag --memory expects a value; see `kit run --help`', 125],
    [['ps', '--bogus'], 'kit: unknown flag --bogus; see `kit ps --help`', 125],
  ];
  // As a user runs it: under jest (NODE_ENV=test) oclif adds a developer warning on stderr.
  const env = { ...kr.env, NODE_ENV: 'production' };
  for (const [args, line, code] of cases) {
    const r = kit(args, env);
    expect(r.status).toBe(code);
    expect(r.stderr.trim()).toBe(line);
    expect(r.stdout).toBe('');
  }
});

test("every command's description is wrapped by oclif, not by hand: no lone word mid-paragraph", () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'oclif.manifest.json'), 'utf8')) as { commands: Record<string, unknown> };
  for (const id of Object.keys(manifest.commands)) {
    const help = kit([...id.split(':'), '--help'], kr.env).stdout;
    const description = (help.split('DESCRIPTION\n')[1] ?? '').split(/\n(?:EXAMPLES|ALIASES)/)[0].split('\n');
    // A hard newline inside a paragraph shows as a line of one word with more of the sentence below it.
    const orphans = description.filter((line, i) => line.trim() !== '' && !line.trim().includes(' ') && (description[i + 1] ?? '').trim() !== '');
    expect({ id, orphans }).toEqual({ id, orphans: [] });
  }
});
