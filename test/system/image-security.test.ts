import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { craftTar, dockerSaveTar, makeTree, sha256 } from '../support/images';
import { cleanKitRoot, kit, kitJson, tempKitRoot } from '../support/kit';

/**
 * Layer tars come from anywhere. Each crafted tar below tries to write
 * outside the directory kit extracts into; kit must refuse it, name the
 * entry, store nothing, and leave the canary directory (next to the kit
 * root, where the escapes aim) and the host's /etc/passwd untouched.
 */
const kr = cleanKitRoot();
const canary = join(kr.root, 'canary');
makeTree(canary, { victim: 'original\n' });
chmodSync(canary, 0o755);
const passwd = sha256(readFileSync('/etc/passwd'));

/** Everything about the canary a write could change. */
function canaryState(): string {
  const dir = statSync(canary);
  const files = readdirSync(canary).map((f) => `${f}:${statSync(join(canary, f)).mode.toString(8)}:${readFileSync(join(canary, f), 'utf8')}`);
  return JSON.stringify({ mode: dir.mode, uid: dir.uid, mtime: dir.mtimeMs, files });
}

function expectNothingStored(root: string, name: string): void {
  expect(existsSync(join(root, 'data', 'images', `${name}.json`))).toBe(false);
  // No layer but those of images stored by earlier tests, and no half-written one.
  const images = join(root, 'data', 'images');
  const kept = existsSync(images) ? readdirSync(images).flatMap((f) => (JSON.parse(readFileSync(join(images, f), 'utf8')) as { layers: string[] }).layers.map((l) => l.slice(7))) : [];
  const layers = join(root, 'data', 'layers');
  if (existsSync(layers)) expect(readdirSync(layers).filter((l) => !kept.includes(l))).toEqual([]);
  const tmp = join(root, 'data', 'tmp');
  if (existsSync(tmp)) expect(readdirSync(tmp)).toEqual([]);
}

const benign = { path: 'etc/hostname', body: 'kit\n' };
// From <root>/data/layers/.tmp-<digest>/diff, four levels up is the kit root.
const up = '../../../../';

const attacks: Array<[string, Parameters<typeof craftTar>[1], string, RegExp]> = [
  ['an absolute path', [benign, { path: `${canary}/pwned`, body: 'x' }], `${canary}/pwned`, /it has an absolute path/],
  ["a '..' path", [benign, { path: `${up}canary/pwned`, body: 'x' }], `${up}canary/pwned`, /it has a '\.\.' component/],
  ["a '..' path deep inside", [benign, { path: `etc/${up}../${up}canary/pwned`, body: 'x' }], `etc/${up}../${up}canary/pwned`, /'\.\.' component/],
  [
    'a symlink to outside, then a write through it',
    [benign, { path: 'evil', type: 'symlink', linkpath: canary }, { path: 'evil/pwned', body: 'x' }],
    'evil/pwned',
    /it would be written through the symlink 'evil'/,
  ],
  [
    "a relative symlink climbing out with '..', then a write through it",
    [benign, { path: 'etc/up', type: 'symlink', linkpath: `../${up}canary` }, { path: 'etc/up/pwned', body: 'x' }],
    'etc/up/pwned',
    /written through the symlink 'etc\/up'/,
  ],
  ['a hard link to /etc/passwd', [benign, { path: 'passwd', type: 'hardlink', linkpath: '/etc/passwd' }, { path: 'passwd', body: 'root::0:0::/:/bin/sh\n' }], 'passwd', /absolute path/],
  ["a hard link climbing out with '..'", [benign, { path: 'victim', type: 'hardlink', linkpath: `${up}canary/victim` }], 'victim', /'\.\.' component/],
  [
    'a hard link through a symlink to /etc',
    [benign, { path: 'etcdir', type: 'symlink', linkpath: '/etc' }, { path: 'pw', type: 'hardlink', linkpath: 'etcdir/passwd' }],
    'pw',
    /hard link target 'etcdir\/passwd' passes through 'etcdir', which is not a directory/,
  ],
  ['a hard link to a file not in the archive', [benign, { path: 'ghost', type: 'hardlink', linkpath: 'nowhere/file' }], 'ghost', /not in the archive before it/],
  ['a whiteout that names no file', [benign, { path: 'etc/.wh..', body: '' }], 'etc/.wh..', /not a valid whiteout/],
];

test.each(attacks)('%s is refused, naming the entry, with nothing written outside', async (label, entries, entry, reason) => {
  const name = `evil-${attacks.findIndex((a) => a[0] === label)}`;
  const file = await craftTar(join(kr.root, `${name}.tar`), entries);
  const state = canaryState();
  const r = kit(['image', 'import', file, '--name', name], kr.env);
  expect(r.status).not.toBe(0);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toContain(`refused tar entry '${entry}'`);
  expect(r.stderr).toMatch(reason);
  expect(canaryState()).toBe(state);
  expect(existsSync(join(canary, 'pwned'))).toBe(false);
  expect(sha256(readFileSync('/etc/passwd'))).toBe(passwd);
  expectNothingStored(kr.root, name);
});

test('a hostile layer inside a docker save tar is refused the same way', async () => {
  const layer = await craftTar(join(kr.root, 'hostile-layer.tar'), [benign, { path: 'lib', type: 'symlink', linkpath: canary }, { path: 'lib/pwned', body: 'x' }]);
  const file = dockerSaveTar(join(kr.root, 'hostile-save.tar'), [layer], {}, ['evil']);
  const state = canaryState();
  const r = kit(['image', 'import', file, '--name', 'hostile-save'], kr.env);
  expect(r.stderr).toMatch(/^kit: refused tar entry 'lib\/pwned': it would be written through the symlink 'lib'/);
  expect(canaryState()).toBe(state);
  expectNothingStored(kr.root, 'hostile-save');
});

test('a docker save manifest pointing outside the archive is refused', () => {
  const dir = makeTree(join(kr.root, 'src-manifest'), { 'manifest.json': JSON.stringify([{ Config: 'c.json', Layers: [`${up}canary/victim`] }]), 'c.json': `{"rootfs":{"diff_ids":["sha256:${'0'.repeat(64)}"]}}` });
  const file = join(kr.root, 'bad-manifest.tar');
  execFileSync('tar', ['-C', dir, '-cf', file, '.']);
  const r = kit(['image', 'import', file, '--name', 'bad-manifest'], kr.env);
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(/^kit: the image archive is corrupt: layer '\.\.\/.*canary\/victim' points outside the archive/);
  expectNothingStored(kr.root, 'bad-manifest');
});

test('a symlink planted over a later file is replaced, never written through', async () => {
  const file = await craftTar(join(kr.root, 'replace.tar'), [
    { path: 'victimlink', type: 'symlink', linkpath: join(canary, 'victim') },
    { path: 'victimlink', body: 'overwritten\n' },
    // A directory later swapped for a symlink: its mode (applied last) must not land on the target.
    { path: 'swap/', type: 'dir', mode: 0o700 },
    { path: 'swap', type: 'symlink', linkpath: canary },
  ]);
  const state = canaryState();
  const image = kitJson<{ layers: string[] }>(['image', 'import', file, '--name', 'replaced'], kr.env);
  const layer = join(kr.root, 'data', 'layers', image.layers[0].slice(7), 'diff');
  expect(readFileSync(join(layer, 'victimlink'), 'utf8')).toBe('overwritten\n');
  expect(canaryState()).toBe(state);
});

test('device nodes are refused when kit is not root, and created when it is', async () => {
  const user = tempKitRoot();
  try {
    const file = await craftTar(join(user.root, 'dev.tar'), [benign, { path: 'dev/', type: 'dir', mode: 0o755 }, { path: 'dev/sda', type: 'block', mode: 0o660, devmajor: 8, devminor: 0 }]);
    execFileSync('chown', ['-R', '65534:65534', user.root]);
    const r = kit(['image', 'import', file, '--name', 'dev'], user.env, { uid: 65534 });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/^kit: refused tar entry 'dev\/sda': it is a block device node \(8:0\), and only root may create device nodes/);
    expectNothingStored(user.root, 'dev');
    const root = kitJson<{ layers: string[] }>(['image', 'import', file, '--name', 'dev'], user.env);
    const node = statSync(join(user.root, 'data', 'layers', root.layers[0].slice(7), 'diff', 'dev', 'sda'));
    expect(node.isBlockDevice()).toBe(true);
    expect(node.rdev).toBe(8 * 256);
  } finally {
    user.cleanup();
  }
});

test('an import that fails halfway leaves no half-written layer', async () => {
  const entries = Array.from({ length: 50 }, (_, i) => ({ path: `many/file${i}`, body: `${i}\n` }));
  const file = await craftTar(join(kr.root, 'half.tar'), [...entries, { path: '/etc/shadow-kit', body: 'x' }]);
  const r = kit(['image', 'import', file, '--name', 'half'], kr.env);
  expect(r.stderr).toContain("refused tar entry '/etc/shadow-kit'");
  expect(existsSync('/etc/shadow-kit')).toBe(false);
  expectNothingStored(kr.root, 'half');
});
