import { MS, S_IF } from '../linux';
import type { ContainerStep } from './plan';
import { inRootfs } from './rootfs-path';

/** The device nodes every container gets (the list in libcontainer's SPEC.md): name, major, minor. */
const DEVICES: Array<[string, number, number]> = [
  ['null', 1, 3],
  ['zero', 1, 5],
  ['full', 1, 7],
  ['random', 1, 8],
  ['urandom', 1, 9],
  ['tty', 5, 0],
];

/**
 * In a user namespace mknod of a device is refused (CAP_MKNOD counts only
 * in the host's namespace: a device node would open the host's hardware).
 * So, as runc does there, an empty file is bind-mounted over by the host's
 * own node: the same device, opened with the container's own permissions.
 */
function boundDevice(name: string, path: string): ContainerStep[] {
  return [
    { op: 'mknod', path, mode: S_IF.REG | 0o666, major: 0, minor: 0, why: `user namespace: no device nodes may be made here; an empty file as the mount point for /dev/${name}` },
    { op: 'mount', source: `/dev/${name}`, target: path, fstype: '', flags: MS.BIND, data: '', why: `bind the host's /dev/${name} over it (what runc does in a user namespace)` },
  ];
}

const LINKS: Array<[string, string]> = [
  ['/proc/self/fd', 'fd'],
  ['/proc/self/fd/0', 'stdin'],
  ['/proc/self/fd/1', 'stdout'],
  ['/proc/self/fd/2', 'stderr'],
];

/**
 * /dev is not the host's: a small tmpfs holding only the harmless devices,
 * so no disk (/dev/sda), no /dev/mem, no /dev/kmsg is reachable inside.
 * Plus a private devpts (newinstance: ptys numbered from 0, unseen by the
 * host), /dev/shm for POSIX shared memory, and the usual symlinks.
 */
export function devSteps(userNamespace = false): ContainerStep[] {
  const dev = (name: string) => inRootfs(`/dev/${name}`);
  return [
    {
      op: 'mount', source: 'tmpfs', target: inRootfs('/dev'), fstype: 'tmpfs', flags: MS.NOSUID, data: 'mode=755,size=65536k',
      why: userNamespace
        ? "a fresh tmpfs over /dev: none of the host's devices are in it. Mounted in a user namespace, the kernel makes it nodev, and mknod of a device is refused here: without root (no cgroup for device rules) that is what keeps the host's devices out"
        : "a fresh tmpfs over /dev: none of the host's devices are in it",
    },
    ...DEVICES.flatMap(([name, major, minor]): ContainerStep[] => (userNamespace ? boundDevice(name, dev(name)) : [
      { op: 'mknod', path: dev(name), mode: S_IF.CHR | 0o666, major, minor, why: `create /dev/${name}: a character device (${major}, ${minor}) every program expects` },
      { op: 'chmod', path: dev(name), mode: 0o666, why: 'mknod applied the umask: make it usable by every user, as on the host' },
    ])),
    { op: 'mkdir', path: dev('pts'), mode: 0o755, why: 'mount point for the pseudo-terminals' },
    { op: 'mount', source: 'devpts', target: dev('pts'), fstype: 'devpts', flags: MS.NOSUID | MS.NOEXEC, data: 'newinstance,ptmxmode=0666,mode=0620', why: "a devpts instance of the container's own: its ptys are not the host's" },
    { op: 'symlink', target: 'pts/ptmx', linkpath: dev('ptmx'), why: "/dev/ptmx -> pts/ptmx: opening it makes a new pty in the container's devpts" },
    { op: 'mkdir', path: dev('shm'), mode: 0o1777, why: 'mount point for POSIX shared memory' },
    { op: 'mount', source: 'shm', target: dev('shm'), fstype: 'tmpfs', flags: MS.NOSUID | MS.NODEV | MS.NOEXEC, data: 'mode=1777,size=65536k', why: 'a private /dev/shm: shared memory stays inside the container' },
    ...LINKS.map(([target, name]): ContainerStep => ({ op: 'symlink', target, linkpath: dev(name), why: `/dev/${name} -> ${target}, as every Linux system has it` })),
  ];
}
