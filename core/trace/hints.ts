import type { TraceEvent } from './event';

/**
 * What to do when a call fails: keyed by syscall and errno, most specific
 * first. Shown under the failed line and with the error.
 */
const HINTS: Array<{ syscall?: string; errno: string; hint: string }> = [
  { syscall: 'clone', errno: 'EPERM', hint: 'creating namespaces needs root (CAP_SYS_ADMIN): run kit with sudo' },
  { syscall: 'clone', errno: 'EINVAL', hint: 'this kernel refuses one of the namespace flags: check `ls /proc/self/ns`' },
  { syscall: 'clone', errno: 'ENOSPC', hint: 'a namespace limit was reached: see /proc/sys/user/max_*_namespaces' },
  { syscall: 'execve', errno: 'ENOENT', hint: "no such file in the container's root filesystem: check the command's name and the image's PATH" },
  { syscall: 'execve', errno: 'EACCES', hint: 'the file exists but is not executable (chmod +x) or sits on a noexec mount' },
  { syscall: 'mount', errno: 'EPERM', hint: 'mounting needs root in a mount namespace kit owns: run kit with sudo' },
  { syscall: 'mount', errno: 'ENODEV', hint: 'this kernel does not know that filesystem type: see /proc/filesystems' },
  { syscall: 'pivot_root', errno: 'EINVAL', hint: 'pivot_root needs the new root to be a mount point: bind-mount it onto itself first' },
  { syscall: 'pivot_root', errno: 'EBUSY', hint: 'the new root or put_old is busy: is something already mounted there?' },
  { errno: 'EPERM', hint: 'this needs root: run kit with sudo' },
  { errno: 'EACCES', hint: 'permission denied: run kit with sudo' },
];

export function hintFor(event: TraceEvent): string | undefined {
  if (!event.errno) return undefined;
  if (event.hint) return event.hint;
  return HINTS.find((h) => h.errno === event.errno && (!h.syscall || h.syscall === event.syscall))?.hint;
}
