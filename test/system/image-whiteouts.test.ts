import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTree, ociLayoutTar } from '../support/images';
import { cleanKitRoot, kitJson } from '../support/kit';

/**
 * An OCI layer deletes a lower file with `.wh.<name>` and hides a lower
 * directory's contents with `.wh..wh..opq`. kit stores them the way
 * overlayfs reads them, so the kernel's merged view must match what the
 * image means; export turns them back into markers.
 */
const kr = cleanKitRoot(); // root: layers keep owners, device nodes and trusted.* xattrs

interface ImageJson {
  layers: string[];
  layerDirs: string[];
}

const lower = makeTree(join(kr.root, 'src', 'lower'), {
  'etc/passwd': 'root:x:0:0::/root:/bin/sh\n',
  'etc/gone': 'deleted by the upper layer\n',
  'data/old/a': 'hidden by the opaque dir\n',
  'data/old/sub/b': 'hidden too\n',
  'data/keep': 'kept\n',
});
const upper = makeTree(join(kr.root, 'src', 'upper'), {
  'etc/.wh.gone': '',
  'data/old/.wh..wh..opq': '',
  'data/old/new': 'the only file left in data/old\n',
});

/** Mount the layers read-only with overlayfs (top first) and list what the kernel shows. */
function overlayView(layerDirs: string[]): Record<string, string[]> {
  const mnt = join(kr.root, `mnt-${Date.now()}`);
  mkdirSync(mnt);
  execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${[...layerDirs].reverse().join(':')}`, mnt]);
  try {
    return { etc: readdirSync(join(mnt, 'etc')).sort(), data: readdirSync(join(mnt, 'data')).sort(), old: readdirSync(join(mnt, 'data/old')).sort() };
  } finally {
    execFileSync('umount', [mnt]);
  }
}

const expected = { etc: ['passwd'], data: ['keep', 'old'], old: ['new'] };

function importOci(name: string): ImageJson {
  kitJson(['image', 'import', ociLayoutTar(join(kr.root, `${name}.tar`), [lower, upper], {}, ['lower', 'upper']), '--name', name], kr.env);
  return kitJson<ImageJson>(['image', 'inspect', name], kr.env);
}

test('OCI whiteouts become overlay whiteouts and opaque dirs, and overlayfs shows the merged view the image means', () => {
  const image = importOci('wh');
  const top = image.layerDirs[1];
  const whiteout = lstatSync(join(top, 'etc/gone'));
  expect(whiteout.isCharacterDevice()).toBe(true);
  expect(whiteout.rdev).toBe(0);
  expect(existsSync(join(top, 'etc/.wh.gone'))).toBe(false);
  expect(readdirSync(join(top, 'data/old'))).toEqual(['new']);
  expect(overlayView(image.layerDirs)).toEqual(expected);
});

test('export flattens with whiteouts applied; docker-save export turns them back into markers', () => {
  importOci('wh-export');
  const flat = join(kr.root, 'wh-flat.tar');
  kitJson(['image', 'export', 'wh-export', '-o', flat], kr.env);
  const listed = execFileSync('tar', ['-tf', flat], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
  expect(listed).toEqual(['data/', 'data/keep', 'data/old/', 'data/old/new', 'etc/', 'etc/passwd']);

  const saved = join(kr.root, 'wh-save.tar');
  kitJson(['image', 'export', 'wh-export', '-o', saved, '--format', 'docker-save'], kr.env);
  const unpacked = join(kr.root, 'wh-save');
  mkdirSync(unpacked);
  execFileSync('tar', ['-xf', saved, '-C', unpacked]);
  const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')) as Array<{ Layers: string[] }>;
  const upperEntries = execFileSync('tar', ['-tf', join(unpacked, manifest[0].Layers[1])], { encoding: 'utf8' }).split('\n');
  expect(upperEntries).toEqual(expect.arrayContaining(['etc/.wh.gone', 'data/old/.wh..wh..opq', 'data/old/new']));
  expect(upperEntries.filter((e) => e.endsWith('gone'))).toEqual(['etc/.wh.gone']);

  kitJson(['image', 'import', saved, '--name', 'wh-again'], kr.env);
  const again = kitJson<ImageJson>(['image', 'inspect', 'wh-again'], kr.env);
  expect(lstatSync(join(again.layerDirs[1], 'etc/gone')).isCharacterDevice()).toBe(true);
  expect(overlayView(again.layerDirs)).toEqual(expected);
});
