import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanKitRoot, kit } from '../support/kit';

const BIN = join(__dirname, '..', '..', 'bin', 'run.js');
const name = `in${process.pid}`;
const kr = cleanKitRoot(() => kit(['rm', '-f', name], kr.env));

/** kit with `input` written to a pipe on its stdin, as `echo hi | kit ...` does. */
function piped(args: string[], input: string) {
  return spawnSync(process.execPath, [BIN, ...args], { env: kr.env, input, encoding: 'utf8', timeout: 60000 });
}

beforeAll(() => expect(kit(['image', 'ls'], kr.env).status).toBe(0)); // builds base once

test('-i passes piped stdin to the container; without -i its stdin is /dev/null, as Docker', () => {
  expect(piped(['run', '-i', 'base', 'cat'], 'hello through the pipe\n')).toMatchObject({ status: 0, stdout: 'hello through the pipe\n' });
  expect(piped(['run', 'base', 'cat'], 'not for the container\n')).toMatchObject({ status: 0, stdout: '' });
  expect(piped(['run', 'base', 'readlink', '/proc/self/fd/0'], '').stdout).toBe('/dev/null\n');
});

test('-i with a file on stdin: the container reads it whole', () => {
  const file = join(kr.root, 'input.txt');
  writeFileSync(file, 'one\ntwo\nthree\n');
  const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" run -i base wc -l < "${file}"`], { env: kr.env, encoding: 'utf8', timeout: 60000 });
  expect(r).toMatchObject({ status: 0, stdout: '3\n' });
});

test('kit exec -i passes stdin to the command inside a running container', () => {
  expect(kit(['run', '-d', '--name', name, 'base', 'sleep', '30'], kr.env).status).toBe(0);
  expect(piped(['exec', '-i', name, 'sh', '-c', 'cat > /tmp/got; cat /tmp/got'], 'via exec\n')).toMatchObject({ status: 0, stdout: 'via exec\n' });
  expect(kit(['rm', '-f', name], kr.env).status).toBe(0);
});
