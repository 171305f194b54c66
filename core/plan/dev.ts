import { MS, S_IF } from '../linux';
import { hasNamespace, type ContainerSpec } from '../spec';
import { boundDevice, deviceNodeSteps } from './device-nodes';
import type { ContainerStep } from './plan';
import { inRootfs } from './rootfs-path';

/** The device nodes every container gets (the list in libcontainer's SPEC.md): name, major, minor. */
export const DEVICES: Array<[string, number, number]> = [
  ['null', 1, 3],
  ['zero', 1, 5],
  ['full', 1, 7],
  ['random', 1, 8],
  ['urandom', 1, 9],
  ['tty', 5, 0],
];

/** Docker's default /dev/shm: 64 MiB. */
export const DEFAULT_SHM_BYTES = 64 * 1024 * 1024;

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
export function devSteps(spec: ContainerSpec): ContainerStep[] {
  const userNamespace = hasNamespace(spec, 'user');
  const dev = (name: string) => inRootfs(`/dev/${name}`);
  return [
    {
      op: 'mount', source: 'tmpfs', target: inRootfs('/dev'), fstype: 'tmpfs', flags: MS.NOSUID, data: 'mode=755,size=65536k',
      why: userNamespace
        ? "a fresh tmpfs over /dev: none of the host's devices are in it. Mounted in a user namespace, the kernel makes it nodev, and mknod of a device is refused here: without root (no cgroup for device rules) that is what keeps the host's devices out"
        : "a fresh tmpfs over /dev: none of the host's devices are in it",
    },
    ...DEVICES.flatMap(([name, major, minor]): ContainerStep[] => (userNamespace ? boundDevice(`/dev/${name}`, dev(name)) : [
      { op: 'mknod', path: dev(name), mode: S_IF.CHR | 0o666, major, minor, why: `create /dev/${name}: a character device (${major}, ${minor}) every program expects` },
      { op: 'chmod', path: dev(name), mode: 0o666, why: 'mknod applied the umask: make it usable by every user, as on the host' },
    ])),
    { op: 'mkdir', path: dev('pts'), mode: 0o755, why: 'mount point for the pseudo-terminals' },
    { op: 'mount', source: 'devpts', target: dev('pts'), fstype: 'devpts', flags: MS.NOSUID | MS.NOEXEC, data: 'newinstance,ptmxmode=0666,mode=0620', why: "a devpts instance of the container's own: its ptys are not the host's" },
    { op: 'symlink', target: 'pts/ptmx', linkpath: dev('ptmx'), why: "/dev/ptmx -> pts/ptmx: opening it makes a new pty in the container's devpts" },
    ...shmSteps(spec),
    ...deviceNodeSteps(spec),
    ...LINKS.map(([target, name]): ContainerStep => ({ op: 'symlink', target, linkpath: dev(name), why: `/dev/${name} -> ${target}, as every Linux system has it` })),
  ];
}

/**
 * /dev/shm, where POSIX shared memory lives: a tmpfs of the container's own
 * (--shm-size sets its size); with --ipc host the host's /dev/shm, bound
 * in as Docker does, so shm_open sees the host's objects; with --ipc
 * shareable and container:NAME the donor's tmpfs kit mounted on the host
 * (shareable-shm.ts); with --ipc none, none at all.
 */
function shmSteps(spec: ContainerSpec): ContainerStep[] {
  if (spec.shmSource === 'none') return [];
  const target = inRootfs('/dev/shm');
  const mkdir: ContainerStep = { op: 'mkdir', path: target, mode: 0o1777, why: 'mount point for POSIX shared memory' };
  if (spec.shmSource) {
    return [mkdir, { op: 'mount', source: spec.shmSource, target, fstype: '', flags: MS.BIND, data: '', why: shmWhy(spec) }];
  }
  const kib = Math.ceil((spec.shmSize ?? DEFAULT_SHM_BYTES) / 1024);
  const why = spec.shmSize === undefined ? 'a private /dev/shm: shared memory stays inside the container' : `a private /dev/shm of ${kib} KiB (--shm-size): shared memory stays inside the container, and past its size writes fail with ENOSPC`;
  return [mkdir, { op: 'mount', source: 'shm', target, fstype: 'tmpfs', flags: MS.NOSUID | MS.NODEV | MS.NOEXEC, data: `mode=1777,size=${kib}k`, why }];
}

function shmWhy(spec: ContainerSpec): string {
  if (spec.ipcMode === 'shareable') return `--ipc shareable: bind the tmpfs kit mounted at ${spec.shmSource} as /dev/shm, so containers that join this IPC namespace share its POSIX shared memory too`;
  return `--ipc ${spec.ipcMode}: bind ${spec.shmSource} as /dev/shm, so POSIX shared memory is shared with the IPC namespace it joins`;
}
