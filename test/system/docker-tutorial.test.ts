import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanKitRoot, kit, kitJson } from '../support/kit';

/** What a Docker tutorial types, with kit in place of docker. */
const kr = cleanKitRoot(() => {
  for (const c of kitJson<Array<{ id: string }>>(['ps', '-a'], kr.env)) kit(['rm', '-f', c.id], kr.env);
  for (const image of ['tut-base', 'tut-base-v1', 'tut-load']) kit(['rmi', image], kr.env);
});
const name = `tut${process.pid}`;

beforeAll(() => expect(kit(['image', 'ls'], kr.env).status).toBe(0)); // builds base once

test('image:tag references: run base:latest, tag (docker tag and image tag) to name:version, run and rmi by that reference', () => {
  expect(kit(['run', '--rm', '--network', 'none', 'base:latest', 'echo', 'hi'], kr.env)).toMatchObject({ status: 0, stdout: 'hi\n' });
  expect(kit(['tag', 'base:latest', 'tut-base'], kr.env).status).toBe(0);
  expect(kit(['image', 'tag', 'base', 'tut-base:v1'], kr.env).status).toBe(0);
  const names = kitJson<Array<{ name: string; layers: string[] }>>(['image', 'ls'], kr.env);
  const layers = (n: string) => names.find((i) => i.name === n)?.layers;
  expect(layers('tut-base-v1')).toEqual(layers('base')); // the same layers, not copies
  expect(layers('tut-base')).toEqual(layers('base'));
  expect(kit(['run', '--rm', '--network', 'none', 'tut-base:v1', 'echo', 'tagged'], kr.env)).toMatchObject({ status: 0, stdout: 'tagged\n' });
  expect(kit(['rmi', 'tut-base:v1'], kr.env).status).toBe(0);
  expect(kit(['rmi', 'tut-base:latest'], kr.env).status).toBe(0);
  expect(kit(['run', '--rm', '--network', 'none', 'base', 'true'], kr.env).status).toBe(0); // base's layers stay
  expect(kit(['tag', 'no-such-image', 'x'], kr.env)).toMatchObject({ status: 1, stderr: expect.stringMatching(/^kit: no image 'no-such-image'/) });
});

test('docker container VERB: container ls (-a, -q), container inspect, container logs, container rm -f are kit ps, inspect, logs, rm', () => {
  expect(kit(['container', 'run', '--name', name, '--network', 'none', 'base', 'echo', 'from the container'], kr.env)).toMatchObject({ status: 0, stdout: 'from the container\n' });
  expect(kit(['container', 'ls'], kr.env).stdout).not.toContain(name);
  const all = kit(['container', 'ls', '-a', '--format', '{{.Names}} {{.Status}}'], kr.env);
  expect(all.stdout).toMatch(new RegExp(`^${name} Exited \\(0\\) `, 'm'));
  expect(kit(['container', 'ls', '-aq'], kr.env).stdout.trim().split('\n')).toHaveLength(1);
  expect(kit(['container', 'inspect', '-f', '{{.State.ExitCode}}', name], kr.env).stdout).toBe('0\n');
  expect(kit(['container', 'logs', name], kr.env).stdout).toBe('from the container\n');
  expect(kit(['container', 'rm', '-f', name], kr.env).status).toBe(0);
  expect(kit(['container', 'ls', '-aq'], kr.env).stdout).toBe('');
  expect(kit(['container', 'bogus'], kr.env)).toMatchObject({ status: 1, stderr: expect.stringMatching(/^kit: 'container' is not a kit command/) });
});

test('docker ps --format {{.Ports}} and the PORTS column: a published port while it runs, none once it stopped', () => {
  const web = `${name}-web`;
  expect(kit(['run', '-d', '--name', web, '-p', '127.0.0.1::80', 'base', 'httpd', '-f', '-p', '80'], kr.env).status).toBe(0);
  const port = kit(['port', web, '80'], kr.env).stdout.trim();
  expect(port).toMatch(/^127\.0\.0\.1:\d+$/);
  expect(kit(['ps', '--format', '{{.Names}} {{.Ports}}'], kr.env).stdout).toContain(`${web} ${port}->80/tcp\n`);
  expect(kit(['ps'], kr.env).stdout).toMatch(new RegExp(`\\s${port.replace(/\./g, '\\.')}->80/tcp\\s+\\d+\\s+${web}\n`));
  expect(kit(['stop', '-t', '1', web], kr.env).status).toBe(0);
  expect(kit(['ps', '-a', '--filter', `name=${web}`, '--format', '[{{.Ports}}]'], kr.env).stdout).toBe('[]\n');
  expect(kit(['rm', web], kr.env).status).toBe(0);
});

test('kit stop of a container that has already exited names it and exits 0, as docker stop does (stop && rm works); kill, pause and exec refuse it (exit 1)', () => {
  const done = `${name}-done`;
  expect(kit(['run', '--name', done, '--network', 'none', 'base', 'true'], kr.env).status).toBe(0);
  expect(kit(['stop', done], kr.env)).toMatchObject({ status: 0, stdout: `${done}\n`, stderr: '' });
  for (const verb of [['kill'], ['pause'], ['exec']]) expect(kit([...verb, done, ...(verb[0] === 'exec' ? ['true'] : [])], kr.env)).toMatchObject({ status: 1, stderr: expect.stringMatching(/is not running/) });
  expect(kit(['stop', 'no-such-container'], kr.env)).toMatchObject({ status: 1, stderr: expect.stringMatching(/^kit: no such container: no-such-container/) });
  expect(kit(['rm', done], kr.env).status).toBe(0);
});

test('kit save -o FILE IMAGE (docker save): nothing printed, and docker-save layers kit image import reads back', () => {
  const file = `${kr.root}/saved.tar`;
  expect(kit(['save', '-o', file, 'base:latest'], kr.env)).toMatchObject({ status: 0, stdout: '', stderr: '' });
  const back = kit(['image', 'import', file, '--name', 'tut-base'], kr.env);
  expect(back.stdout).toMatch(/^imported tut-base from .* \(docker-save/);
  expect(kit(['run', '--rm', '--network', 'none', 'tut-base', 'echo', 'loaded'], kr.env).stdout).toBe('loaded\n');
  expect(kit(['rmi', 'tut-base'], kr.env).status).toBe(0);
});

/** A shell line whose commands named `kit` run this checkout's CLI (redirects and pipes as a user types them). */
function sh(line: string): { status: number | null; stdout: string; stderr: string } {
  const kitCmd = `'${process.execPath}' '${join(__dirname, '..', '..', 'bin', 'run.js')}'`;
  const r = spawnSync('sh', ['-c', line.replace(/(^|[|;&]\s*)kit\b/g, `$1${kitCmd}`)], { env: kr.env, encoding: 'utf8', timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('kit save IMAGE > FILE and kit save | kit load (docker save without -o, docker load): the archive on stdout, "Loaded image: NAME", a loaded name replacing the image it named', () => {
  const file = `${kr.root}/stdout.tar`;
  expect(sh(`kit save base > ${file}; echo "exit $?"`)).toMatchObject({ stdout: 'exit 0\n', stderr: '' });
  expect(spawnSync('tar', ['-tf', file], { encoding: 'utf8' }).stdout).toMatch(/^manifest\.json$/m);
  // Both ends of the pipe exit 0: kit save leaves stdout open for oclif's last flush (an ended pipe was EPIPE, exit 141).
  expect(sh('kit save base | kit load; echo "exit $?"; kit save base | cat >/dev/null; echo "save exit $?"')).toMatchObject({ stdout: 'Loaded image: base\nexit 0\nsave exit 0\n', stderr: '' });
  // An image made here (two layers), saved; then the same name on base's one layer, saved too.
  expect(kit(['run', '--name', `${name}-c`, '--network', 'none', 'base', 'sh', '-c', 'echo made > /made'], kr.env).status).toBe(0);
  expect(kit(['commit', `${name}-c`, 'tut-load'], kr.env).status).toBe(0);
  expect(kit(['rm', `${name}-c`], kr.env).status).toBe(0);
  const layersOf = (n: string) => kitJson<Array<{ name: string; layers: string[] }>>(['image', 'ls'], kr.env).find((i) => i.name === n)?.layers;
  expect(layersOf('tut-load')).toHaveLength(2);
  expect(sh(`kit save tut-load > ${kr.root}/tut.tar && kit tag base tut-load && kit save tut-load > ${kr.root}/base-as-tut.tar`).status).toBe(0);
  // load moves the name to the archive's image, as docker load does (kit image import refuses a taken name)
  expect(kitJson<{ images: string[]; replaced: string[] }>(['load', '-i', `${kr.root}/tut.tar`], kr.env)).toMatchObject({ images: ['tut-load'], replaced: ['tut-load'] });
  const loaded = layersOf('tut-load')!;
  expect(loaded).toHaveLength(2);
  expect(loaded[0]).toBe(layersOf('base')![0]);
  expect(kit(['run', '--rm', '--network', 'none', 'tut-load', 'cat', '/made'], kr.env).stdout).toBe('made\n');
  // and the replaced image's layers that nothing uses any more go: here the loaded top layer
  const top = join(kr.root, 'data', 'layers', loaded[1].replace('sha256:', ''));
  expect(existsSync(top)).toBe(true);
  expect(kit(['load', '-q', '-i', `${kr.root}/base-as-tut.tar`], kr.env)).toMatchObject({ status: 0, stdout: 'Loaded image: tut-load\n' });
  expect(layersOf('tut-load')).toEqual(layersOf('base'));
  expect(existsSync(top)).toBe(false);
  expect(kit(['run', '--rm', '--network', 'none', 'base', 'true'], kr.env).status).toBe(0); // base's layer stays
});

test('kit save and kit load refuse what they cannot do with one line and exit 1, leaving nothing behind: --json with the archive on stdout, an unknown image, a cut archive', () => {
  const json = sh('kit save --json base');
  expect(json.status).toBe(1);
  expect(JSON.parse(json.stdout)).toEqual({ error: { message: '--json prints its result on stdout, where the archive would go', hint: 'give the file: kit save --json -o FILE base', exitCode: 1 } });
  expect(sh(`kit save no-such-image > ${kr.root}/none.tar`)).toMatchObject({ status: 1, stderr: expect.stringMatching(/^kit: no image 'no-such-image'/) });
  expect(readFileSync(`${kr.root}/none.tar`).length).toBe(0); // nothing written before the image was found
  const before = kitJson<Array<{ name: string; layers: string[] }>>(['image', 'ls'], kr.env);
  const cut = sh('kit save base | head -c 100000 | kit load');
  expect(cut.status).toBe(1);
  expect(cut.stderr.trim().split('\n')).toHaveLength(1);
  expect(kitJson<Array<{ name: string; layers: string[] }>>(['image', 'ls'], kr.env)).toEqual(before);
  expect(readdirSync(join(kr.root, 'data', 'tmp'))).toEqual([]);
  expect(sh('kit load < /dev/null')).toMatchObject({ status: 1, stderr: 'kit: stdin was empty: no archive to import; pipe one in: docker save NAME | kit load\n' });
});
