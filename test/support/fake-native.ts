import type { NativeAddon, NativeContainerStep, WaitResult } from '../../core/native';
import type { TraceEvent } from '../../core/trace/event';
import { nativeError } from './native-error';

/** One call the engine made through the addon. */
export interface NativeCall {
  name: keyof NativeAddon;
  args: unknown[];
}

/** What a scripted call does instead of succeeding: fail with this errno name. */
export type Failure = { errno: string };

const ERRNO: Record<string, number> = { EPERM: 1, ENOENT: 2, ESRCH: 3, EIO: 5, EBADF: 9, ECHILD: 10, EBUSY: 16, EEXIST: 17, EINVAL: 22, EMFILE: 24, ENODATA: 61 };

/** The syscall each export makes (the one a real failure names). */
const SYSCALL: Partial<Record<keyof NativeAddon, string>> = {
  spawn: 'clone',
  pipe: 'pipe2',
  msgCreate: 'msgget',
  msgRemove: 'msgctl',
  writeFile: 'write',
  setxattr: 'lsetxattr',
  lchmod: 'fchmodat',
  recvFd: 'recvmsg',
  setWindowSize: 'ioctl',
  getxattr: 'lgetxattr',
  lockFile: 'flock',
  vethAdd: 'RTM_NEWLINK',
  linkSet: 'RTM_NEWLINK',
  linkSetNetns: 'RTM_NEWLINK',
  bridgeAdd: 'RTM_NEWLINK',
  linkDelete: 'RTM_DELLINK',
  addrAdd: 'RTM_NEWADDR',
  openInRoot: 'openat2',
  spawnUsernsHolder: 'clone',
  reap: 'wait4',
  openRead: 'open',
  setnsFd: 'setns',
  openTreeClone: 'open_tree',
  mountSetIdmap: 'mount_setattr',
  moveMount: 'move_mount',
  attachDeviceProgram: 'bpf',
};

/**
 * A recording test double of the native addon, as youki tests its runtime
 * with a recording Syscall trait object: no syscall is made; every call is
 * recorded, answered with a plausible success or a scripted failure, and
 * leaves a trace event as the real addon does, so TraceRecorder.check()
 * throws the same SyscallError. Pass `fake.addon` as RunOptions.native.
 */
export class FakeNative {
  readonly calls: NativeCall[] = [];
  /** The plans the engine sent to kit-init, as steps. */
  readonly plans: NativeContainerStep[][] = [];
  private readonly failed = new Set<NativeCall>();
  private events: TraceEvent[] = [];
  private nextFd = 100;
  private nextPid = 4000;

  /** @param script decides each call: undefined = success; a Failure = throw that errno. */
  constructor(private readonly script: (call: NativeCall, index: number) => Failure | undefined = () => undefined) {}

  /** Fail the `n`th call (1-based) whose name is in `names` (every call when empty) with `errno`. */
  static failingAt(n: number, errno = 'EIO', names: Array<keyof NativeAddon> = []): FakeNative {
    let seen = 0;
    return new FakeNative((call) => {
      if (names.length > 0 && !names.includes(call.name)) return undefined;
      return ++seen === n ? { errno } : undefined;
    });
  }

  /** The calls after the first failed one, the failed one excluded. */
  callsAfterFailure(): NativeCall[] {
    const i = this.calls.findIndex((c) => this.failed.has(c));
    return i < 0 ? [] : this.calls.slice(i + 1);
  }

  private call<T>(name: keyof NativeAddon, args: unknown[], ok: () => T): T {
    const call = { name, args };
    this.calls.push(call);
    const failure = this.script(call, this.calls.length - 1);
    const syscall = SYSCALL[name] ?? name;
    const errno = failure ? ERRNO[failure.errno] ?? 5 : undefined;
    const result = failure ? undefined : ok();
    this.events.push({
      syscall,
      args: args.map((a) => JSON.stringify(a)),
      ret: failure ? -1 : typeof result === 'number' ? result : 0,
      errno: failure?.errno ?? null,
      errnoMessage: failure ? `scripted ${failure.errno}` : null,
      durationUs: 0,
      side: 'host',
      step: null,
      pending: false,
    });
    if (failure) {
      this.failed.add(call);
      throw nativeError(syscall, failure.errno, errno!);
    }
    return result as T;
  }

  private fd = () => this.nextFd++;

  readonly addon: NativeAddon = {
    spawn: (flags, initPath, fds) => this.call('spawn', [flags, initPath, fds], () => this.nextPid++),
    wait: (pid) => {
      const events: TraceEvent[] = [];
      try {
        this.call('wait', [pid], () => 0);
      } catch {
        // a scripted wait4 failure comes back in the result, as the real one does
      }
      events.push(...this.events.splice(-1));
      const result: WaitResult = { ret: pid, status: 0, errno: 0, trace: JSON.stringify(events) };
      return Promise.resolve(result);
    },
    kill: (pid, signal) => this.call('kill', [pid, signal], () => 0),
    releaseHeld: (pid) => this.call('releaseHeld', [pid], () => 0),
    pipe: () => this.call('pipe', [], (): [number, number] => [this.fd(), this.fd()]),
    socketpair: () => this.call('socketpair', [], (): [number, number] => [this.fd(), this.fd()]),
    close: (fd) => this.call('close', [fd], () => 0),
    mkdir: (path, mode) => this.call('mkdir', [path, mode], () => 0),
    rmdir: (path) => this.call('rmdir', [path], () => 0),
    msgCreate: (key, mode) => this.call('msgCreate', [key, mode], () => 1),
    msgRemove: (key) => this.call('msgRemove', [key], () => 0),
    mount: (source, target, fstype, flags, data) => this.call('mount', [source, target, fstype, flags, data], () => 0),
    umount2: (target, flags) => this.call('umount2', [target, flags], () => 0),
    writeFile: (path, data) => this.call('writeFile', [path, data], () => data.length),
    mknod: (path, mode, major, minor) => this.call('mknod', [path, mode, major, minor], () => 0),
    lchmod: (path, mode) => this.call('lchmod', [path, mode], () => 0),
    symlink: (target, linkpath) => this.call('symlink', [target, linkpath], () => 0),
    setxattr: (path, name, value) => this.call('setxattr', [path, name, value], () => 0),
    getxattr: (path, name) => this.call('getxattr', [path, name], () => ''),
    chdir: (path) => this.call('chdir', [path], () => 0),
    lockFile: (path) => this.call('lockFile', [path], () => this.fd()),
    openInRoot: (rootFd, path, flags, mode) => this.call('openInRoot', [rootFd, path, flags, mode], () => this.fd()),
    recvFd: (socket) => this.call('recvFd', [socket], () => this.fd()),
    connectUnix: (path) => this.call('connectUnix', [path], () => this.fd()),
    setWindowSize: (fd, rows, cols) => this.call('setWindowSize', [fd, rows, cols], () => 0),
    vethAdd: (host, peer) => this.call('vethAdd', [host, peer], () => 0),
    linkSet: (link, master, up) => this.call('linkSet', [link, master, up], () => 0),
    linkSetNetns: (link, netnsPath) => this.call('linkSetNetns', [link, netnsPath], () => 0),
    bridgeAdd: (name) => this.call('bridgeAdd', [name], () => 0),
    linkDelete: (link) => this.call('linkDelete', [link], () => 0),
    addrAdd: (link, address, prefix) => this.call('addrAdd', [link, address, prefix], () => 0),
    spawnUsernsHolder: () => this.call('spawnUsernsHolder', [], () => this.nextPid++),
    reap: (pid) => this.call('reap', [pid], () => pid),
    openRead: (path) => this.call('openRead', [path], () => this.fd()),
    setns: (path, nstype) => this.call('setns', [path, nstype], () => 0),
    setnsFd: (fd, nstype) => this.call('setnsFd', [fd, nstype], () => 0),
    openTreeClone: (path) => this.call('openTreeClone', [path], () => this.fd()),
    mountSetIdmap: (fd, usernsFd) => this.call('mountSetIdmap', [fd, usernsFd], () => 0),
    moveMount: (fd, target) => this.call('moveMount', [fd, target], () => 0),
    attachDeviceProgram: (cgroup, rules) => this.call('attachDeviceProgram', [cgroup, rules], () => 0),
    encodePlan: (steps) => {
      this.plans.push(steps);
      return 'end\n';
    },
    drainTrace: () => JSON.stringify(this.events.splice(0)),
    linuxConstants: () => ({}), // no syscall; only test/unit/linux-constants.test.ts reads it, from the real addon
    // No syscall, no trace: hashing is kit's own work; the import's tests use the real thread.
    Sha256Thread: class {
      constructor() {
        throw new Error('FakeNative: Sha256Thread is not recorded (use the real addon)');
      }
    } as unknown as NativeAddon['Sha256Thread'],
  };
}
