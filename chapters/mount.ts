import { type Chapter, type Claim, claimData } from '../core';

const chapter: Chapter = {
  id: 'mount',
  order: 30,
  title: 'Mount namespace: mounts that stay inside',
  turnsOn: ['mount namespace', 'pid namespace', 'uts namespace', 'rootfs (base image)'],
  summary: 'CLONE_NEWNS: a tmpfs mounted inside never appears in the host mount table',
  story: `A mount namespace is a process's own copy of the mount table. clone() with
CLONE_NEWNS gives the child a copy of its parent's mounts; without it, whatever
the child mounts is mounted for the whole machine. The copy alone is not enough:
on most systems "/" is a shared mount (systemd makes it so), and mount events on
a shared mount propagate to its peers, the host's copy included. So the first
thing a runtime does inside is make every mount private (MS_REC|MS_PRIVATE).
Then it can build the container's root filesystem: the image, with its own
/proc, /sys and /dev, mounted where only the container sees them.
Here the container mounts a tmpfs named kit-demo and prints its own mount table;
the host's table is read before and after.`,
  unconfined: "its command mounts a tmpfs, which Docker's default confinement forbids (see `kit chapter caps`)",
  spec: {
    security: { capAdd: ['SYS_ADMIN'], seccomp: 'unconfined' },
    image: 'base',
    namespaces: ['mount', 'pid', 'uts'],
    hostname: 'kit-mount-demo',
    command: ['sh', '-c', 'mkdir -p /mnt/kit-demo && mount -t tmpfs kit-demo /mnt/kit-demo && echo "inside: $(grep -c . /proc/self/mountinfo) mounts"; grep kit-demo /proc/self/mountinfo'],
  },
  probes: { before: ['mounts'], during: ['container-process'], after: ['mounts'] },
  takeaway: `Inside, /proc/self/mountinfo has a tmpfs named kit-demo on /mnt/kit-demo, and a
table of the container's own (the count is printed inside, checked below): the
image's root, /proc, /sys, /dev and its friends, and the bind mounts that mask
what runc masks; none of the host's. Without root there are more of them: a user
namespace cannot make device nodes, so each of /dev's is a bind mount of the
host's. The host's mount table never has a kit-demo, before or after: the mount
stayed in the container's namespace and went away with it.`,
  claims: [
    { says: 'inside, /proc/self/mountinfo has a tmpfs named kit-demo on /mnt/kit-demo', holds: (r) => /\/mnt\/kit-demo .* - tmpfs kit-demo/.test(r.container.stdout) },
    {
      says: (r) => `the container's table is its own: ${mountsInside(r) ?? 'its'} mounts inside, ${mountsOnHost(r) ?? 'the host\'s'} on the host`,
      holds: (r) => mountsInside(r) !== undefined && mountsOnHost(r) !== undefined && mountsInside(r) !== mountsOnHost(r),
    },
    { says: "the host's mount table never has a kit-demo, before or after", holds: (r) => !/kit-demo/.test(claimData.probe(r, 'before', 'mounts')?.text ?? 'kit-demo') && !/kit-demo/.test(claimData.probe(r, 'after', 'mounts')?.text ?? 'kit-demo') },
  ],
  tryNext: [
    "sudo kit chapter mount -- sh -c 'mount -t tmpfs kit-demo /mnt && sleep 30'   # then, on the host: grep kit-demo /proc/self/mountinfo",
    'sudo kit chapter mount -- cat /proc/self/mountinfo        # the whole table a container sees',
    'sudo kit chapter ipc                                       # next: System V IPC objects of its own',
  ],
  explain: {
    clone: `CLONE_NEWNS was the first namespace Linux had (2002), hence its generic name "new namespace". The child starts with a copy of every mount of its parent.`,
    mount: `The first mount call (MS_REC|MS_PRIVATE on "/") stops propagation to the host. The bind of the rootfs onto itself makes it a mount point for pivot_root. proc, sysfs, tmpfs and devpts then fill in /proc, /sys and /dev inside the rootfs; after pivot_root, bind mounts hide what runc hides in /proc and /sys.`,
    pivot_root: `pivot_root(".", ".oldroot") makes the rootfs the root of this mount namespace and moves the host's old root to /.oldroot, which umount2(MNT_DETACH) then takes away. See the rootfs chapter.`,
  },
};

/** The count the command printed ("inside: 32 mounts"), or the lines of the mount table it printed (its Try line: -- cat /proc/self/mountinfo). */
function mountsInside(r: Parameters<Claim['holds']>[0]): number | undefined {
  const n = /inside: (\d+) mounts/.exec(r.container.stdout)?.[1];
  if (n !== undefined) return Number(n);
  const table = r.container.stdout.split('\n').filter((l) => /^\d+ \d+ \d+:\d+ \S+ \S+ .* - \S+ /.test(l)).length;
  return table || undefined;
}

/** The host's count, from the mounts probe before the run ("21 mounts on the host"). */
function mountsOnHost(r: Parameters<Claim['holds']>[0]): number | undefined {
  const n = /^(\d+) mounts on the host/.exec(claimData.probe(r, 'before', 'mounts')?.text ?? '')?.[1];
  return n === undefined ? undefined : Number(n);
}

export default chapter;
