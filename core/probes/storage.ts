import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mountAt } from '../host/mountinfo';
import { aufsMountData } from '../storage/aufs';
import { kitPaths } from '../paths';
import { DRIVERS } from '../storage/drivers';
import { hasFilesystem } from '../support';
import { commandOutput, firstLines } from './command';
import type { Probe, ProbeContext, ProbeView } from './probe';

/**
 * Probes of a container's layered root (chapters with `storage`): what the
 * image's layers hold, the four overlay dirs, what the container wrote.
 */
function withStorage(id: string, title: string, look: (s: NonNullable<ProbeContext['storage']>) => string): Probe {
  return {
    id,
    title,
    run: ({ storage }): ProbeView => ({ text: storage ? look(storage) : '(no layered root in this run)' }),
  };
}

export const imageLayers = withStorage('image-layers', "the image's layers, bottom first (each a plain directory)", (s) =>
  s.lowers
    .map((dir, i) => [`layer ${i + 1}: ${dir}   (${s.image.history[i]?.createdBy ?? ''})`, indent(commandOutput(['ls', '-l', join(dir, 'etc')]))].join('\n'))
    .join('\n'),
);

export const containerDirs = withStorage('container-dirs', "the container's root: how the driver made it", (s) => {
  const lines = [`storage driver: ${s.driver} (${s.reason})`];
  if (s.driver === 'btrfs') {
    lines.push(`rootfs: ${s.rootfs}   a btrfs snapshot of the top layer's subvolume: no data copied, blocks shared until written`, '', `btrfs subvolume list ${dirname(dirname(s.rootfs))}`, indent(commandOutput(['btrfs', 'subvolume', 'list', dirname(dirname(s.rootfs))])));
    return lines.join('\n');
  }
  if (!s.upper) {
    lines.push(`rootfs: ${s.rootfs}   a full copy of every layer (vfs)`, `size: ${commandOutput(['du', '-sh', s.rootfs])}`);
    return lines.join('\n');
  }
  lines.push(
    `LowerDir:  ${[...s.lowers].reverse().join(':')}   (topmost first)`,
    `UpperDir:  ${s.upper}`,
    `WorkDir:   ${join(s.dir, 'work')}`,
    `MergedDir: ${s.rootfs}`,
    '',
    'the mount, as /proc/self/mountinfo shows it on the host:',
    indent(mountAt(s.rootfs)?.line ?? '(not mounted)'),
  );
  return lines.join('\n');
});

export const upperDir = withStorage('upper-dir', 'the container layer: everything the container wrote, and only that', (s) => {
  if (!s.upper && s.driver === 'btrfs') return `btrfs keeps no upper dir: the changes are blocks of the container's snapshot ${s.rootfs} that no longer share with the layer below (kit diff lists them)`;
  if (!s.upper) return `vfs keeps no upper dir: the changes are mixed into the full copy at ${s.rootfs}`;
  return [
    `ls -lAR ${s.upper}`,
    indent(firstLines(commandOutput(['ls', '-lAR', s.upper]), 40)),
    '',
    `the image's layer is untouched: cat ${join(s.lowers[s.lowers.length - 1], 'etc', 'motd')}`,
    indent(commandOutput(['cat', join(s.lowers[s.lowers.length - 1], 'etc', 'motd')])),
  ].join('\n');
});

export const aufsBranches = withStorage('aufs-branches', 'the same stack as aufs branches: the mount data an aufs kernel gets', (s) =>
  aufsMountData(join(s.dir, 'diff'), [...s.lowers].reverse()).map((data) => `mount("none", "${join(s.dir, 'mnt')}", "aufs", 0, "${data}")`).join('\n'),
);

export const unionFilesystems: Probe = {
  id: 'union-filesystems',
  title: 'union filesystems this kernel has (grep -E "overlay|aufs" /proc/filesystems)',
  run: () => {
    const listed = readFileSync('/proc/filesystems', 'utf8').split('\n').filter((l) => /\t(overlay|aufs)$/.test(l));
    const aufs = hasFilesystem('aufs') ? '' : '\n(no aufs line: this kernel has no aufs)';
    return { text: (listed.join('\n') || '(none)') + aufs };
  },
};

/**
 * Every storage driver of the seed, in the order Docker tries them, with
 * "works here" or the exact reason not: Docker takes the first that works
 * and that it would pick by itself (btrfs and zfs only where its data dir
 * already is on that filesystem).
 */
export const storageDrivers: Probe = {
  id: 'storage-drivers',
  title: "the storage drivers, in the order Docker tries them (it takes the first that works and fits its data dir)",
  run: () => {
    const paths = kitPaths();
    return {
      text: DRIVERS.map((d) => {
        const problem = d.unsupported(paths);
        const notChosen = problem ? undefined : d.notChosen?.(paths);
        return `${d.name.padEnd(12)} ${problem ? `not here: ${problem}` : notChosen ? `works here, but not picked by itself: ${notChosen}` : 'works here'}`;
      }).join('\n'),
    };
  },
};

function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}
