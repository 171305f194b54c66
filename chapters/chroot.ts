import { type Chapter, chrootEscapeDemo, WHERE_AM_I, claimData } from '../core';

const chapter: Chapter = {
  id: 'chroot',
  order: 50,
  title: 'chroot: a new "/" that root can walk out of',
  turnsOn: ['chroot into the base image', 'mount namespace', 'pid namespace'],
  summary: 'chroot(rootfs), then the classic escape: chroot deeper, walk `..`, reach the host\'s /',
  story: `chroot(dir) changes one thing: where path lookups of this process start when a
path begins with "/". It does not change the mount table, and it does not move the
current directory. Old container tools and build chroots relied on it; the question
"does Docker use chroot?" has a short answer: runc uses pivot_root, and falls back to
chroot only when told to (--no-pivot), because of what this chapter shows.
kit builds the container's rootfs from the base image, mounts /proc and /dev inside,
and enters it with chroot. Then it runs the escape a root process can always do:
  mkdir("kit-escape"); chroot("kit-escape")   # the root moves down, the cwd stays put
  chdir("..") until ".." is "."              # the cwd is outside the root, so ".." is never stopped
  chroot(".")                                 # the real "/" of the mount namespace is the root again
and then asks: is "/" still the image?`,
  spec: { image: 'base', rootSwitch: 'chroot', namespaces: ['mount', 'pid', 'uts'], hostname: 'kit-chroot-demo', command: WHERE_AM_I },
  demo: chrootEscapeDemo(),
  probes: { before: ['mounts'], during: ['container-process'], after: ['mounts'] },
  takeaway: `The trace shows chroot(".") into the rootfs, then the escape: chroot("kit-escape"),
a few chdir("..") each going one directory up the HOST's tree (the stat calls show
".." changing), and a final chroot("."). The command's output says ESCAPED, prints
the host's /etc/hostname and lists the host's /. chroot is a convenience, not a wall:
root inside keeps every way out. The rootfs chapter runs the same escape after
pivot_root.`,
  claims: [
    {
      // The chapter's own command says so; any command (-- cat /etc/passwd) is seen from the host.
      says: (r) => (r.container.stdout.startsWith('ESCAPED') ? "the escape worked: the command says ESCAPED and lists the host's /" : "the escape worked: the command ran with the host's own / as its root (the host saw it: same device and inode)"),
      holds: (r) => r.container.stdout.startsWith('ESCAPED') || claimData.rootIsHosts(r) === true,
    },
    { says: 'the trace shows chroot("kit-escape"), then chdir("..") up the host\'s tree, then chroot(".")', holds: (r) => claimData.calls(r, 'chroot', 'container').some((e) => e.args[0] === '"kit-escape"') && claimData.calls(r, 'chdir', 'container').some((e) => e.args[0] === '".."') },
    { says: "after the run the host has no mount of the container's (no kit-… mount it did not have before)", holds: (r) => claimData.kitMountsAdded(r)?.length === 0 },
  ],
  tryNext: [
    'sudo kit chapter rootfs                     # the same escape after pivot_root',
    'sudo kit chapter chroot -- cat /etc/passwd  # after the escape: the host\'s users',
    'sudo kit chapter chroot --explain',
  ],
  explain: {
    chroot: `chroot(path) sets the process's root directory, used to resolve absolute paths and to stop ".." at the top. It needs CAP_SYS_CHROOT. It leaves the current directory where it was: a cwd outside the new root is the hole the escape uses.`,
    chdir: `chdir("..") from a directory that is not the process's root goes to the parent, whatever the root is. From a cwd outside the root, every ".." is followed, up to the top of the mount namespace.`,
    stat: `stat(".") and stat("..") return the same device and inode only at the top of the tree: the walk stops there.`,
  },
};

export default chapter;
