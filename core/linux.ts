/**
 * The Linux constants kit's plans are built from (values from <sched.h>,
 * <sys/mount.h>, <signal.h>, <sys/stat.h>). native-rs/src/decode.rs names
 * them in traces; test/unit/linux-constants.test.ts checks each against the
 * libc crate's value for the architecture the addon was built for.
 */
import { constants } from 'node:os';

export const CLONE = {
  NEWNS: 0x00020000,
  NEWCGROUP: 0x02000000,
  /** unshare() only (clone() has no bit left for it): the caller's children get the new time namespace. */
  NEWTIME: 0x00000080,
  NEWUTS: 0x04000000,
  NEWIPC: 0x08000000,
  NEWUSER: 0x10000000,
  NEWPID: 0x20000000,
  NEWNET: 0x40000000,
} as const;

export const MS = {
  RDONLY: 1,
  NOSUID: 2,
  NODEV: 4,
  NOEXEC: 8,
  REMOUNT: 32,
  BIND: 4096,
  MOVE: 8192,
  REC: 16384,
  PRIVATE: 1 << 18,
  SLAVE: 1 << 19,
} as const;

export const MNT_DETACH = 2;

/** open(2)'s O_PATH: a descriptor that names a file without opening it for I/O (fstat, openat2's root, a reopen through /proc/self/fd). */
export const O_PATH = 0o10000000;

export const SIG = { INT: 2, KILL: 9, TERM: 15, CHLD: 17 } as const;

/** File types, the high bits of a mode as mknod(2) takes it. */
export const S_IF = { REG: 0o100000, CHR: 0o020000, BLK: 0o060000, FIFO: 0o010000 } as const;

/** SIGKILL for 9: Node knows every signal of this platform (os.constants.signals). */
export function signalName(signal: number): string {
  const known = Object.entries(constants.signals).find(([, n]) => n === signal);
  return known ? known[0] : `signal ${signal}`;
}

/** The inverse of signalName (shells report death by signal N as exit code 128 + N). */
export function signalNumber(name: string): number {
  return (constants.signals as Record<string, number>)[name] ?? Number(name.replace('signal ', ''));
}
