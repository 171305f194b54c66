import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { DEFAULT_PATH } from '../../spec';
import type { Image, ImageStore } from '../store';
import { layerDigest, writeEntries, type LayerEntry } from './entries';
import { baseDirsAndEtc } from './etc-files';
import { findHostProgram, hostProgramEntries } from './host-binaries';

export const BASE_IMAGE = 'base';

/** What chapters and users run inside base; busybox provides most of it. */
const NEEDED = ['sh', 'ls', 'cat', 'ps', 'hostname', 'id', 'mount', 'umount', 'ip', 'sleep', 'ipcs', 'ipcmk', 'echo', 'mkdir', 'rm', 'touch', 'env', 'uname', 'top', 'free', 'df', 'httpd', 'nc', 'wget'];

/** One line per step while base is built. */
export type Progress = (line: string) => void;

/**
 * Build the default image `base`, offline, into the store: one layer made
 * from the host's static busybox (KIT_BUSYBOX overrides its path) with a
 * symlink per applet, plus host copies of the tools busybox lacks; without
 * busybox, from host programs and their libraries alone. Two kit processes
 * building it at once compute the same digest; the store's rename-into-place
 * leaves one layer and one image file.
 */
export async function buildBase(store: ImageStore, progress: Progress): Promise<Image> {
  const busybox = process.env.KIT_BUSYBOX ?? '/bin/busybox';
  progress(`building the default image '${BASE_IMAGE}' (once, offline)`);
  const tools = busyboxEntries(busybox);
  progress(
    tools.applets.length
      ? `[1/4] busybox ${busybox}: ${tools.applets.length} applets as symlinks to /bin/busybox`
      : `[1/4] no busybox at ${busybox}: using the host's own programs and their libraries`,
  );
  const missing = NEEDED.filter((name) => !tools.applets.includes(name));
  const found = missing.flatMap((name) => {
    const file = findHostProgram(name);
    return file ? [{ name, file }] : [];
  });
  progress(`[2/4] copying host programs busybox does not provide (with their ldd libraries): ${found.map((p) => p.name).join(' ') || 'none'}`);
  const entries = [...baseDirsAndEtc(), ...tools.entries, ...hostProgramEntries(found)];
  const digest = layerDigest(entries);
  progress(`[3/4] writing the layer ${digest.slice(0, 19)}... (${entries.length} entries)`);
  await store.addLayer(digest, 'kit: base image from busybox and host programs', (dir) => writeEntries(dir, entries));
  const image: Image = {
    name: BASE_IMAGE,
    layers: [digest],
    config: { Cmd: ['sh'], Env: [DEFAULT_PATH], WorkingDir: '/' },
    created: new Date().toISOString(),
    history: [{ createdBy: `kit: busybox with ${tools.applets.length} applets, host programs: ${found.map((p) => p.name).join(', ') || 'none'}` }],
  };
  store.save(image);
  progress(`[4/4] image '${BASE_IMAGE}' is ready`);
  return image;
}

/** /bin/busybox and one symlink per applet, where `busybox --list-full` puts it; nothing without busybox. */
function busyboxEntries(busybox: string): { entries: LayerEntry[]; applets: string[] } {
  const list = existsSync(busybox) ? spawnSync(busybox, ['--list-full'], { encoding: 'utf8' }) : undefined;
  const paths = list?.status === 0 ? list.stdout.split('\n').filter((p) => p && p !== 'bin/busybox') : [];
  if (!paths.length) return { entries: [], applets: [] };
  const entries: LayerEntry[] = [{ kind: 'file', path: 'bin/busybox', mode: 0o755, copyOf: busybox }];
  // Relative targets: the links resolve the same inside the rootfs and when
  // kit looks at the layer from the host.
  for (const path of paths) entries.push({ kind: 'symlink', path, target: relative(dirname(path), 'bin/busybox') });
  return { entries, applets: paths.map((p) => p.split('/').pop() ?? p) };
}
