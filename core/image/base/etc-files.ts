import type { LayerEntry } from './entries';

/**
 * The directories and /etc files every root filesystem is expected to have.
 * /proc, /sys and /dev stay empty: they are mount points, filled at run time
 * by the rootfs plan (core/plan/rootfs.ts). /etc/kit-release marks the image,
 * so a process can tell whether its "/" is the image or the host.
 */
const DIRS: Array<[string, number]> = [
  ['bin', 0o755], ['sbin', 0o755], ['usr', 0o755], ['usr/bin', 0o755], ['usr/sbin', 0o755], ['etc', 0o755],
  ['proc', 0o555], ['sys', 0o555], ['dev', 0o755], ['tmp', 0o1777], ['root', 0o700], ['home', 0o755],
  ['var', 0o755], ['var/tmp', 0o1777], ['mnt', 0o755],
];

const FILES: Array<[string, string]> = [
  ['etc/passwd', 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n'],
  ['etc/group', 'root:x:0:\nnogroup:x:65534:\n'],
  ['etc/hostname', 'kit\n'],
  ['etc/hosts', '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n'],
  ['etc/resolv.conf', '# kit: containers get no DNS server by default\n'],
  ['etc/kit-release', 'kit base image\n'],
];

export function baseDirsAndEtc(): LayerEntry[] {
  return [
    ...DIRS.map(([path, mode]): LayerEntry => ({ kind: 'dir', path, mode })),
    ...FILES.map(([path, text]): LayerEntry => ({ kind: 'file', path, mode: 0o644, text })),
  ];
}
