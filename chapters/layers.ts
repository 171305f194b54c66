import { type Chapter, type ChapterResultData, claimData } from '../core';

/** What the demo's command writes: /etc/motd changed, /tmp/new added, /bin/vi deleted. */
const WRITES: Record<string, string> = { '/etc/motd': 'C', '/tmp/new': 'A', '/bin/vi': 'D' };

/** overlay2 and aufs keep the container's writes in an upper dir; vfs and btrfs in the container's whole tree. */
function hasUpperDir(r: ChapterResultData): boolean {
  return !['vfs', 'btrfs'].includes(claimData.storageDriver(r) ?? '');
}

/** Where this run's driver put the container's writes, as the point to check. */
function wroteWhere(r: ChapterResultData): string {
  const driver = claimData.storageDriver(r);
  if (hasUpperDir(r)) return 'the upper dir holds etc/motd, tmp/new and bin/vi as a "c 0, 0" whiteout';
  const tree = driver === 'btrfs' ? "btrfs has no upper dir: the container's snapshot" : "vfs has no upper dir: the container's full copy";
  return `${tree} differs from the image's layers only where the container wrote: /etc/motd changed, /tmp/new added, /bin/vi deleted`;
}

/**
 * A copy's changes (kit diff's) are the demo's writes and nothing else: each
 * of them, and besides only the directories they are in (changed as their
 * entries were).
 */
function onlyWhatItWrote(changes: Map<string, string>): boolean {
  const parents = new Set(Object.keys(WRITES).map((p) => p.slice(0, p.lastIndexOf('/'))));
  return Object.entries(WRITES).every(([path, kind]) => changes.get(path) === kind) && [...changes].every(([path, kind]) => WRITES[path] === kind || (kind === 'C' && parents.has(path)));
}

const chapter: Chapter = {
  id: 'layers',
  order: 90,
  title: 'Image layers and the container layer: overlay2',
  turnsOn: ['union mount (overlay2)', 'mount namespace'],
  summary: 'read-only image layers + one writable container layer = the root a container sees',
  story: `An image is a stack of read-only layers; every Dockerfile instruction that changes
files adds one. A container is that stack plus one writable layer on top, the
container layer. overlay2 joins them with one overlay mount: the image's layers
are the lowerdirs (topmost first), the container layer is the upperdir, workdir
is overlayfs's scratch space and merged is the union the container uses as /.
Nothing is copied when the container starts. When the container changes a file of
the image, overlayfs first copies it up into the upper dir (copy-on-write) and
changes the copy; when it deletes one, the upper dir gets a whiteout, a character
device numbered 0/0, that hides the name. The image's layers never change, which
is why any number of containers can share them.
overlay2 is one of six drivers Docker has had (aufs, devicemapper, overlay2,
btrfs, zfs, vfs): the first probe lists them in the order Docker tries them,
with "works here" or why not. btrfs and devicemapper copy on write at the block
level instead (snapshots), vfs copies everything.
This demo image has two layers made from busybox: layer 2 replaces /etc/motd and
deletes /etc/issue. The container reads both, then writes and deletes files.`,
  spec: {
    namespaces: ['mount', 'uts', 'ipc', 'pid'],
    command: ['/bin/sh', '-c', 'echo "/etc/motd says: $(cat /etc/motd)"; ls /etc/issue 2>&1; echo "changed by the container" > /etc/motd; rm /bin/vi; echo new > /tmp/new; echo "/etc/motd now says: $(cat /etc/motd)"'],
  },
  storage: {},
  probes: { before: ['storage-drivers', 'image-layers'], during: ['container-dirs'], after: ['upper-dir'] },
  takeaway: `Inside, /etc/motd came from layer 2 (the upper layer wins) and /etc/issue was gone
(layer 2's whiteout), whichever driver made the root. What the container wrote
went into its own container layer and nowhere else; where that is depends on the
driver, as the last probe shows: overlay2's upper dir holds a changed file
copied up whole and a deleted one as a "c 0, 0" whiteout; vfs has no upper dir
and writes into the container's full copy; btrfs writes into the container's
snapshot, whose written blocks stop being shared with the layer's. The image's
layers never change.`,
  claims: [
    { says: 'inside, /etc/motd came from layer 2 and /etc/issue was gone (its whiteout)', holds: (r) => /motd says: motd from layer 2/.test(r.container.stdout) && /issue: No such file/.test(r.container.stdout) },
    {
      says: (r) => wroteWhere(r),
      holds: (r) => {
        if (hasUpperDir(r)) {
          const t = claimData.probe(r, 'after', 'upper-dir')?.text ?? '';
          return /^\s*c.* 0, 0 .* vi$/m.test(t) && / motd$/m.test(t) && / new$/m.test(t);
        }
        return onlyWhatItWrote(claimData.copyChanges(r));
      },
    },
    {
      says: (r) => (claimData.storageDriver(r) === 'btrfs' ? "the top layer's subvolume, which the snapshot was taken of, still has layer 2's etc/motd" : "layer 2's own etc/motd still says what it said"),
      holds: (r) => /untouched: cat .*\n\s*motd from layer 2/.test(claimData.probe(r, 'after', 'upper-dir')?.text ?? ''),
    },
  ],
  tryNext: [
    'sudo kit chapter layers --storage-driver vfs   # the same root made by copying every layer',
    'sudo kit chapter layers --storage-driver btrfs # the same root as a btrfs snapshot (block-level copy-on-write)',
    'sudo kit info                                  # which driver kit picks here, and why',
    'sudo kit build -t app -f Kitfile .             # one layer per COPY / RUN; then: kit image history app',
    'sudo kit chapter aufs                          # the union filesystem Docker started with',
  ],
  explain: {
    mount: `mount("overlay", merged, "overlay", 0, "lowerdir=A:B,upperdir=U,workdir=W"): lowerdirs are read-only and searched left to right, so the image's topmost layer comes first. One page (4096 bytes) is all mount(2) copies of the options: with many layers kit, like Docker, names them by short links in <data>/l/, or by relative paths after chdir.`,
    mkdir: `The container layer's dirs: diff (the upperdir), work (overlayfs's scratch dir, which must be on the same filesystem as the upperdir) and merged (the mount point).`,
    umount2: 'The container has ended: the overlay mount is detached. The upper dir stays until the container is removed, so `kit diff` and `kit commit` can read it.',
    pivot_root: 'The merged dir becomes the container\'s "/" exactly as in `kit run`: bind-mounted onto itself, given /proc, /sys and /dev, then pivot_root(".", ".") and the old root detached. The container never sees the layer dirs, only their union.',
  },
  requires: [{ filesystem: 'overlay' }, { tool: 'busybox', install: 'apt-get install busybox-static' }],
};

export default chapter;
