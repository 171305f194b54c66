import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KitError } from './errors';

/**
 * The Rust addon (native-rs/src/napi). Every call returns the syscall's
 * result, or -errno on failure, and leaves a trace event for drainTrace().
 */
export interface NativeAddon {
  /** clone(flags) a child that execs kit-init; fds[i] becomes its fd i. */
  spawn(flags: number, initPath: string, fds: number[]): number;
  /** Reaps off the main thread; `trace` is wait4's own event (a JSON array), not left for drainTrace(). */
  wait(pid: number): Promise<{ ret: number; status: number; errno: number; trace: string }>;
  kill(pid: number, signal: number): number;
  pipe(): [number, number] | number;
  socketpair(): [number, number] | number;
  close(fd: number): number;
  mkdir(path: string, mode: number): number;
  rmdir(path: string): number;
  /** A new System V message queue under key (IPC_CREAT|IPC_EXCL); its id. */
  msgCreate(key: number, mode: number): number;
  /** Remove the message queue under key. */
  msgRemove(key: number): number;
  mount(source: string, target: string, fstype: string, flags: number, data: string): number;
  umount2(target: string, flags: number): number;
  writeFile(path: string, data: string): number;
  /** mode includes the file type (S_IFCHR | 0o666 ...). */
  mknod(path: string, mode: number, major: number, minor: number): number;
  /** fchmodat(AT_SYMLINK_NOFOLLOW): the mode of the path itself, never a symlink's target (-EOPNOTSUPP on a symlink). */
  lchmod(path: string, mode: number): number;
  symlink(target: string, linkpath: string): number;
  setxattr(path: string, name: string, value: string): number;
  /** The value, or -errno (-61 ENODATA: not set). */
  getxattr(path: string, name: string): string | number;
  /** The whole process's working directory (relative mount options resolve against it). */
  chdir(path: string): number;
  /** open(path, O_CREAT) + flock(LOCK_EX): the fd holding the lock (close() unlocks), or -errno. */
  lockFile(path: string): number;
  /** An fd sent over a unix socket (SCM_RIGHTS), without blocking: -11 (EAGAIN) while none has come, -32 (EPIPE) once the sender closed. */
  recvFd(socket: number): number;
  /** TIOCSWINSZ: a terminal's size in characters (the container sees SIGWINCH). */
  setWindowSize(fd: number, rows: number, cols: number): number;
  /** JSON array of the events recorded since the last call. */
  drainTrace(): string;
}

/** native-rs/ next to dist/ (the built CLI) or next to core/ (tests run the TypeScript sources). */
const nativeDir = [join(__dirname, '..', '..', 'native-rs'), join(__dirname, '..', 'native-rs')].find((d) => existsSync(join(d, 'kit.node'))) ?? join(__dirname, '..', '..', 'native-rs');
let addon: NativeAddon | undefined;

const rebuild = 'run `npm install` (or `npm run build`) in the kit directory';

export function native(): NativeAddon {
  if (addon) return addon;
  const file = join(nativeDir, 'kit.node');
  if (!existsSync(file)) throw new KitError(`kit's native addon is missing (${file})`, rebuild);
  try {
    addon = require(file) as NativeAddon;
  } catch (err) {
    throw new KitError(`kit's native addon could not be loaded: ${(err as Error).message.split('\n')[0]}`, `it may be built for another Node; ${rebuild}`);
  }
  return addon;
}

/** The container-side helper binary (native-rs/src/init). */
export function initPath(): string {
  const file = join(nativeDir, 'kit-init');
  if (!existsSync(file)) throw new KitError(`kit-init is missing (${file})`, rebuild);
  return file;
}
