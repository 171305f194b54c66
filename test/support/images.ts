import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImageStore, type Image } from '../../core/image/store';
import type { KitPaths } from '../../core/paths';
import { storeLayer } from '../../core/storage/containers';

/**
 * Test images made straight through the store (the base image and tar
 * import are another part's): layers are written by `fill` functions.
 */
export async function imageOf(paths: KitPaths, name: string, layers: Array<(dir: string) => void>): Promise<Image> {
  const store = new ImageStore(paths);
  const digests: string[] = [];
  for (const [index, fill] of layers.entries()) digests.push((await storeLayer(paths, store, `test layer ${index + 1}`, fill)).digest);
  const image: Image = { name, layers: digests, config: {}, created: new Date().toISOString(), history: digests.map((_, i) => ({ createdBy: `test layer ${i + 1}` })) };
  store.save(image);
  return image;
}

/** Layers of a small image to run commands in: busybox, then /etc/motd. */
export function busyboxImageLayers(): Array<(dir: string) => void> {
  return [busyboxLayer];
}

/** A layer with the host's static busybox as /bin/busybox and every applet linked to it. */
export function busyboxLayer(dir: string): void {
  mkdirSync(join(dir, 'bin'));
  copyFileSync('/bin/busybox', join(dir, 'bin', 'busybox'));
  const applets = execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n').filter((a) => a && a !== 'busybox');
  for (const applet of applets) symlinkSync('busybox', join(dir, 'bin', applet));
  for (const d of ['etc', 'tmp', 'proc', 'dev', 'root']) mkdirSync(join(dir, d));
  writeFileSync(join(dir, 'etc', 'motd'), 'image layer 1\n');
}
