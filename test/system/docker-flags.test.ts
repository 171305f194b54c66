import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cleanKitRoot, hostSnapshot, kit } from '../support/kit';

/** kit run flags copied from Docker tutorials: -h, --env-file, --entrypoint, an absolute --workdir. */
const kr = cleanKitRoot();
const BIN = join(__dirname, '..', '..', 'bin', 'run.js');

beforeAll(() => expect(kit(['image', 'ls'], kr.env).status).toBe(0)); // builds base once

test('-h sets the hostname; --env-file comes before -e; --entrypoint replaces the image\'s and drops its Cmd', () => {
  expect(kit(['run', '-h', 'box', 'base', 'hostname'], kr.env).stdout).toBe('box\n');
  const file = join(kr.root, 'app.env');
  writeFileSync(file, '# settings\nA=1\n\nB=two words\nC=from-file\n');
  expect(kit(['run', '--env-file', file, '-e', 'C=from-flag', 'base', 'sh', '-c', 'echo "$A|$B|$C"'], kr.env).stdout).toBe('1|two words|from-flag\n');
  expect(kit(['run', '--entrypoint', 'echo', 'base', 'hi', 'there'], kr.env).stdout).toBe('hi there\n');
  expect(kit(['run', '--entrypoint', 'pwd', 'base'], kr.env).stdout).toBe('/\n'); // the image's Cmd (sh) is dropped
});

test('a relative --workdir and a bad --env-file line are one line each, exit 125, nothing left', () => {
  const bad = join(kr.root, 'bad.env');
  writeFileSync(bad, 'GOOD=1\nnot a variable\n');
  const cases: Array<[string[], string]> = [
    [['-w', 'tmp'], "kit: --workdir 'tmp' is not an absolute path; give it from the container's /, e.g. -w /tmp"],
    [['--env-file', bad], `kit: --env-file ${bad}, line 2: 'not a variable' is not NAME=value; one variable per line, NAME=value`],
  ];
  for (const [args, line] of cases) {
    const r = kit(['run', ...args, 'base', 'true'], kr.env);
    expect(r.status).toBe(125);
    expect(r.stderr.trim()).toBe(line);
  }
  expect(hostSnapshot(kr.root).containers).toEqual([]);
});

test('a missing --env-file is kit\'s one line and exit 125 when kit is run as users run it (bin/run.js by its #! line), not node\'s exit 9', () => {
  const missing = join(kr.root, 'missing.env');
  const r = spawnSync(BIN, ['run', '--env-file', missing, 'base', 'true'], { env: { ...kr.env, PATH: `${dirname(process.execPath)}:${kr.env.PATH}` }, encoding: 'utf8' });
  expect(r.status).toBe(125);
  expect(r.stderr.trim()).toBe(`kit: cannot read --env-file ${missing} (ENOENT); give a readable file of NAME=value lines`);
  expect(hostSnapshot(kr.root).containers).toEqual([]);
});
