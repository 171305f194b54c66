import { type Chapter, type ChapterResultData, claimData } from '../core';

/** The driver given with --storage-driver (or KIT_STORAGE_DRIVER), as the driver line says; undefined when kit chose. */
function askedFor(r: ChapterResultData): string | undefined {
  return /^storage driver: (\S+) \(asked for \(--storage-driver/m.exec(claimData.probe(r, 'during', 'container-dirs')?.text ?? '')?.[1];
}

const chapter: Chapter = {
  id: 'aufs',
  order: 95,
  title: 'aufs, the union filesystem Docker started with',
  turnsOn: ['union mount (aufs, or overlay2 where the kernel has no aufs)', 'mount namespace'],
  summary: 'aufs branches where the kernel has them; otherwise the fallback Docker makes: overlay2',
  story: `AUFS (Advanced multi-layered Unification FileSystem) joined directories, its
"branches", into one mount point: a union mount. Docker's first storage driver
kept each layer in /var/lib/docker/aufs/diff/<id>, the layer metadata in
aufs/layers/ and the mount points in aufs/mnt/, and mounted them with one branch
string: br:<container layer>=rw:<top layer>=ro+wh:...:<bottom layer>=ro+wh.
aufs was never merged into Linux; only kernels that carried the patch (Ubuntu,
Debian) had it. overlayfs, merged in Linux 3.18, does the same job, and Docker's
driver order puts overlay2 before aufs: \`docker info\` shows aufs only on a
machine without overlay. kit does the same: where /proc/filesystems lists no
aufs it says so and falls back to overlay2.`,
  spec: {
    namespaces: ['mount', 'uts', 'ipc', 'pid'],
    command: ['/bin/sh', '-c', 'cat /etc/motd; echo written > /tmp/w; ls /tmp'],
  },
  storage: { driver: 'aufs' },
  probes: { before: ['union-filesystems', 'storage-drivers'], during: ['container-dirs', 'aufs-branches'], after: ['upper-dir'] },
  takeaway: `The first probe is \`grep -E "overlay|aufs" /proc/filesystems\`: where it has no aufs line,
the driver line says aufs cannot be used and kit fell back to overlay2, as dockerd
does. The branches are the same idea under either name: read-only image layers,
one writable container layer on top.`,
  claims: [
    {
      says: (r) => (askedFor(r) ? `the driver line names the driver asked for: ${askedFor(r)}` : 'the driver line names the driver kit used: aufs where the kernel has it, otherwise overlay2 with the reason'),
      holds: (r) => {
        const asked = askedFor(r);
        const hasAufs = !/no aufs line/.test(claimData.probe(r, 'before', 'union-filesystems')?.text ?? '');
        const expected = asked ? `${asked} \\(asked for` : hasAufs ? 'aufs' : 'overlay2 \\(aufs cannot be used';
        return new RegExp(`^storage driver: ${expected}`, 'm').test(claimData.probe(r, 'during', 'container-dirs')?.text ?? '');
      },
    },
    {
      says: "the container read the image's layers and wrote into its own layer",
      // an upper dir lists tmp/w; a driver without one (vfs, btrfs) has it as kit diff's "A /tmp/w"
      holds: (r) => r.container.stdout.startsWith('motd from layer 2') && (/ w$/m.test(claimData.probe(r, 'after', 'upper-dir')?.text ?? '') || claimData.copyChanges(r).get('/tmp/w') === 'A'),
    },
  ],
  tryNext: [
    'grep aufs /proc/filesystems                  # empty on mainline kernels',
    'sudo kit info                                # the driver kit picks, and why',
    'sudo kit chapter layers                      # overlay2 in detail: copy-up and whiteouts',
  ],
  explain: {
    mount: `With aufs: mount("none", mnt, "aufs", 0, "br:<rw>=rw:<layer>=ro+wh:...,dio,xino=/dev/shm/aufs.xino"); branches past one page are added by remounts with "append:<layer>=ro+wh". With overlay2: lowerdir/upperdir/workdir, the same stack under other names.`,
  },
  requires: [{ tool: 'busybox', install: 'apt-get install busybox-static' }],
};

export default chapter;
