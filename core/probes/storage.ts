import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mountAt } from '../host/mountinfo';
import { aufsMountData } from '../storage/aufs';
import { kitPaths } from '../paths';
import { copyChanges } from '../storage/changes';
import { DRIVERS } from '../storage/drivers';
import { topLayerSubvolume } from '../storage/btrfs';
import { layersView } from '../storage/view';
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
    wrap: true, // paths, mount options and reasons: read whole
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

/**
 * What the container wrote, where its driver put it: an upper dir (overlay2,
 * aufs) is listed as it is; a driver without one (vfs's full copy, btrfs's
 * snapshot) is compared with the image's layers as `kit diff` does, since
 * the writes are mixed into the container's own whole tree. Then the image's
 * top layer (for btrfs the subvolume the snapshot was taken of), unchanged.
 */
export const upperDir = withStorage('upper-dir', 'the container layer: everything the container wrote, and only that', (s) => {
  const top = s.driver === 'btrfs' ? topLayerSubvolume(s.rootfs, s.lowers) : s.lowers[s.lowers.length - 1];
  const untouched = top && [
    '',
    `${s.driver === 'btrfs' ? "the top layer's subvolume, which the snapshot was taken of, is untouched" : "the image's layer is untouched"}: cat ${join(top, 'etc', 'motd')}`,
    indent(commandOutput(['cat', join(top, 'etc', 'motd')])),
  ];
  if (s.upper) return [`ls -lAR ${s.upper}`, indent(firstLines(commandOutput(['ls', '-lAR', s.upper]), 40)), ...(untouched || [])].join('\n');
  const where = s.driver === 'btrfs' ? "its snapshot, whose written blocks no longer share with the layer's" : 'its own full copy of every layer';
  const changes = copyChanges(s.rootfs, layersView(s.lowers));
  return [
    `${s.driver} keeps no upper dir: the container wrote into ${where}, ${s.rootfs}`,
    "what differs there from the image's layers (kit diff: A added, C changed, D deleted)",
    indent(firstLines(changes.map((c) => `${c.kind} ${c.path}`).join('\n') || '(nothing)', 40)),
    ...(untouched || []),
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
  wrap: true,
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
