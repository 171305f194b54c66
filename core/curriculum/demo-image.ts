import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KitError } from '../errors';
import { ImageStore, type Image } from '../image/store';
import type { KitPaths } from '../paths';
import { storeLayer } from '../storage/containers';
import { makeWhiteout, untraced } from '../storage/whiteout';

export const DEMO_IMAGE = 'kit-layers-demo';
const BUSYBOX = '/bin/busybox';

/**
 * The image the layers chapters stack: two layers, made offline from the
 * host's static busybox, so the second layer can be seen replacing a file of
 * the first (/etc/motd) and deleting one (/etc/issue: a whiteout).
 */
export async function layersDemoImage(paths: KitPaths): Promise<Image> {
  const store = new ImageStore(paths);
  if (store.has(DEMO_IMAGE)) {
    const image = store.get(DEMO_IMAGE);
    // One made before the chapters pivoted into it has no /sys to mount on: made again.
    if (image.layers.every((l) => store.hasLayer(l)) && existsSync(join(store.layerDir(image.layers[0]), 'sys'))) return image;
  }
  if (!existsSync(BUSYBOX)) throw new KitError(`${BUSYBOX} is missing: the demo image is made from a static busybox`, 'apt-get install busybox-static');
  const bottom = await storeLayer(paths, store, 'busybox, /etc/motd and /etc/issue', busyboxLayer);
  const top = await storeLayer(paths, store, 'replace /etc/motd, delete /etc/issue', (dir) => {
    mkdirSync(join(dir, 'etc'));
    writeFileSync(join(dir, 'etc', 'motd'), 'motd from layer 2\n');
    makeWhiteout(untraced, join(dir, 'etc', 'issue'), 'layer 2 deletes /etc/issue');
  });
  const image: Image = {
    name: DEMO_IMAGE,
    layers: [bottom.digest, top.digest],
    config: { Cmd: ['/bin/sh'] },
    created: new Date().toISOString(),
    history: [{ createdBy: 'busybox, /etc/motd and /etc/issue' }, { createdBy: 'replace /etc/motd, delete /etc/issue' }],
  };
  store.save(image);
  return image;
}

/** busybox as /bin/busybox with every applet linked to it, and the few dirs a shell expects. */
export function busyboxLayer(dir: string): void {
  mkdirSync(join(dir, 'bin'));
  copyFileSync(BUSYBOX, join(dir, 'bin', 'busybox'));
  const applets = execFileSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).split('\n').filter((a) => a && a !== 'busybox');
  for (const applet of applets) symlinkSync('busybox', join(dir, 'bin', applet));
  for (const d of ['etc', 'tmp', 'proc', 'sys', 'dev', 'root']) mkdirSync(join(dir, d));
  writeFileSync(join(dir, 'etc', 'motd'), 'motd from layer 1\n');
  writeFileSync(join(dir, 'etc', 'issue'), 'kit demo (layer 1)\n');
}
