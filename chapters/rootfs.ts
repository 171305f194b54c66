import { type Chapter, chrootEscapeDemo, WHERE_AM_I, claimData } from '../core';

const chapter: Chapter = {
  id: 'rootfs',
  order: 60,
  title: 'pivot_root: a root filesystem with no way back to the host',
  turnsOn: ['pivot_root into the base image', 'mount namespace', 'pid namespace', '/proc /sys /dev', 'masked paths'],
  summary: 'pivot_root(".", ".oldroot") + detach the old root: the chroot escape finds nothing to escape to',
  story: `This is how runc, crun and youki set up a container's root filesystem (the list is
in libcontainer's SPEC.md):
  1. make every mount private, so nothing below leaks to the host;
  2. bind-mount the rootfs onto itself: pivot_root(2) requires the new root to be a
     mount point, and a plain directory is not one (the EINVAL that puzzles people);
  3. mount /proc, /sys (read-only), a tmpfs /dev with null, zero, full, random,
     urandom and tty, a devpts of its own at /dev/pts, /dev/shm, and the /dev/fd,
     stdin, stdout, stderr symlinks;
  4. chdir(rootfs); pivot_root(".", ".oldroot"): the rootfs becomes the root of the
     mount namespace and the host's root moves under it, to /.oldroot;
  5. chdir("/"); umount2("/.oldroot", MNT_DETACH); rmdir("/.oldroot"): the host's tree
     is no longer in this mount namespace at all;
  6. mask what runc masks: /dev/null over /proc/keys, /proc/timer_list and friends,
     empty tmpfs over /proc/acpi and /sys/firmware, /proc/sys and /proc/sysrq-trigger
     read-only.
Then the same escape as in the chroot chapter runs.`,
  spec: { image: 'base', namespaces: ['mount', 'pid', 'uts'], hostname: 'kit-rootfs-demo', command: WHERE_AM_I },
  demo: chrootEscapeDemo(),
  probes: { before: ['mounts'], during: ['container-process'], after: ['mounts'] },
  takeaway: `pivot_root returned 0, and after umount2 the old root is gone from the namespace. The
escape's stat(".") and stat("..") match at the first try: the image's "/" is the top of
the mount tree, ".." of it is itself, and chroot(".") lands back in the image. The
output says "still inside the image", the hostname file is the image's, and ls / lists
the image's root. After the run the host has no mount of the container's.`,
  claims: [
    { says: 'pivot_root returned 0', holds: (r) => claimData.calls(r, 'pivot_root', 'container').some((e) => e.ret === 0) },
    { says: 'the escape found nothing: the output says "still inside the image"', holds: (r) => r.container.stdout.startsWith('still inside the image') },
    { says: "after the run the host has no mount of the container's (no kit-… mount it did not have before)", holds: (r) => claimData.kitMountsAdded(r)?.length === 0 },
  ],
  tryNext: [
    'sudo kit run base cat /proc/self/mountinfo      # the mounts a container ends up with',
    'sudo kit run base cat /proc/keys                # masked: empty (it is /dev/null)',
    "sudo kit run base sh -c 'echo evil > /proc/sys/kernel/hostname'   # /proc/sys is read-only: refused",
    'sudo kit chapter rootfs --explain',
  ],
  explain: {
    pivot_root: `pivot_root(new_root, put_old) changes the root mount of the caller's mount namespace to new_root and moves the old root mount to put_old. Unlike chroot it changes the mount tree itself, so once put_old is unmounted nothing of the host's filesystem is reachable, whatever the process does with chdir and chroot.`,
    umount2: `MNT_DETACH (lazy unmount) detaches the old root and every mount below it at once, even though files in it may still be open.`,
    mknod: `mknod creates device nodes in the container's own tmpfs /dev: only the six harmless ones. The host's disks (/dev/sda) and /dev/mem are simply not there.`,
    stat: `After pivot_root, ".." of "/" is "/" itself: the walk stops immediately.`,
  },
};

export default chapter;
