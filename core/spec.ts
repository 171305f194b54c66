import type { Resources } from './cgroups/limits';
import type { SecurityOptions } from './security/options';
import type { IdMaps } from './userns/id-map';

/**
 * A container, as data: what to run and what to isolate it with. `kit run`
 * builds one from Docker-style flags, and each chapter declares one.
 */
import type { PortMapping } from './network/ports';

export const NAMESPACES = ['mount', 'uts', 'ipc', 'pid', 'net', 'user', 'cgroup'] as const;
export type Namespace = (typeof NAMESPACES)[number];

export interface ContainerSpec {
  /** argv of the container's first process. */
  command: string[];
  /** Environment of that process (NAME=value). */
  env: string[];
  namespaces: Namespace[];
  /** Set inside the UTS namespace. */
  hostname?: string;
  /** Name shown by `kit ps`; defaults to the id. */
  name?: string;
  /** overlay2, aufs or vfs; by default the first that works here (core/storage/drivers.ts). */
  storageDriver?: string;
  /** Keep the container's layer after it exits, for `kit diff`/`kit commit` (default: removed with the container). */
  keepLayer?: boolean;
  /** The image whose layers become the root filesystem; none = the host's /. */
  image?: string;
  /**
   * Instead of an image: a host directory used as-is as the root filesystem
   * (an OCI bundle's root.path, as runc does). kit mounts /proc, /sys, /dev
   * into it and pivots into it; it is neither copied nor removed.
   */
  rootDir?: string;
  /** The working directory inside the rootfs (Docker's -w / WorkingDir). */
  workdir?: string;
  /** How the root is changed to the image: pivot_root (default, as runc) or chroot (the chroot chapter). */
  rootSwitch?: 'pivot_root' | 'chroot';
  /**
   * docker run --network: bridge (own netns, a veth on kit0, NAT), none (own
   * netns, lo only), host (the host's), container:<name> (another container's).
   * Unset: no network setup, only what `namespaces` says.
   */
  network?: NetworkMode;
  /** docker run -p: ports published on the host (bridge mode only). */
  ports?: PortMapping[];
  /** -v, --mount, --tmpfs: what is mounted into the container (core/plan/mounts.ts). */
  mounts?: Mount[];
  /** docker run -t: a pseudo-terminal of this size (kit's terminal's) as the command's stdio and controlling terminal. */
  tty?: { rows: number; cols: number };
  /** docker run -i: the container's stdin stays open (Docker's OpenStdin); its shim writes what attached clients type into it. */
  interactive?: boolean;
  /** docker run --restart: what its shim does when it exits (default: nothing). */
  restart?: RestartPolicy;
  /** A container's log is rotated past this size (docker run --log-opt max-size). */
  logMaxBytes?: number;
  /** 'none': its output is not logged (docker run --log-driver none); else json-file, Docker's default. */
  logDriver?: 'json-file' | 'none';
  /** cgroup limits (--cpu-quota, --memory ...); present = the container gets cgroups of its own. */
  resources?: Resources;
  /** Capabilities, seccomp, masked paths (--cap-add, --privileged, --security-opt); absent = Docker's defaults. */
  security?: SecurityOptions;
  /**
   * With `user` in namespaces: how its ids map to the host's (core/plan/userns.ts).
   * auto: the `kit` user's subordinate range (root only, Docker's userns-remap);
   * self: root inside is the caller's own uid (all an unprivileged user may map);
   * or explicit maps (--uidmap/--gidmap). Unset: auto as root, self otherwise.
   */
  userns?: UsernsMode;
  /** The command's user (an OCI config's process.user); unset: root. Set by kit-init just before exec. */
  user?: { uid: number; gid: number; groups: number[] };
  /** docker run --group-add as given (kit inspect's GroupAdd); their gids are in user.groups. */
  groupAdd?: string[];
  /** The command's file-creation mask (process.user.umask); unset: kit-init's own. */
  umask?: number;
  /** The OOM killer's bias for the command (process.oomScoreAdj, -1000..1000). */
  oomScoreAdj?: number;
  /** Process limits (process.rlimits) kit-init sets on itself before exec; -1 is unlimited. */
  rlimits?: Rlimit[];
  /** docker run --label: key=value metadata, shown by `kit inspect`, matched by `kit ps --filter label=`. */
  labels?: Record<string, string>;
  /** docker run --stop-signal: what `kit stop` sends first (default SIGTERM). */
  stopSignal?: string;
  /** docker run --stop-timeout: seconds `kit stop` waits before SIGKILL (default 10). */
  stopTimeout?: number;
  /** docker run --add-host NAME:IP: extra lines of the container's /etc/hosts. */
  extraHosts?: Array<{ name: string; address: string }>;
  /** docker run --dns: the nameservers of the container's /etc/resolv.conf, instead of the host's. */
  dns?: string[];
  /** docker run --init: kit-init stays PID 1 as a reaper and the command runs as its child. */
  init?: boolean;
  /** docker run --read-only: the root filesystem is remounted read-only (mounts and tmpfs on it stay writable). */
  readOnly?: boolean;
  /**
   * docker run --sysctl, an OCI config's linux.sysctl: kernel parameters
   * written in /proc/sys inside the container, once its root is switched;
   * only the ones its own namespaces hold (core/plan/sysctl.ts).
   */
  sysctls?: Record<string, string>;
  /** A time namespace of its own, with these clock offsets (an OCI config's linux.timeOffsets; core/plan/timens.ts). */
  timeOffsets?: { monotonic?: ClockOffset; boottime?: ClockOffset };
  /** An existing time namespace the container joins by path (linux.namespaces time path), instead of timeOffsets in a new one. */
  joinTime?: string;
  /** docker run --pid, --ipc, --uts as given (host, container:NAME, none...): shown by kit inspect; the plan follows namespaces and joinNamespaces. */
  pidMode?: string;
  ipcMode?: string;
  utsMode?: string;
  /** docker run --shm-size: the size of the container's /dev/shm tmpfs, bytes (default 64 MiB). */
  shmSize?: number;
  /**
   * What /dev/shm is: a tmpfs of its own (default), the host's /dev/shm
   * bound in (--ipc host: a host path), or nothing (--ipc none).
   */
  shmSource?: string | 'none';
  /** docker run --domainname: the NIS domain name of its UTS namespace. */
  domainname?: string;
  /** docker run --device: host device nodes made (or bound) in the container's /dev, and allowed by its device rules. */
  devices?: DeviceMapping[];
  /** Existing namespaces the container joins by path (setns) instead of getting new ones (linux.namespaces[].path). */
  joinNamespaces?: Array<{ namespace: Namespace; path: string }>;
}

/** One --device HOST[:CTR[:PERMS]]: the host node's type and numbers, read when the flag was given. */
export interface DeviceMapping {
  hostPath: string;
  /** Absolute, inside the container (under /dev). */
  path: string;
  type: 'c' | 'b';
  major: number;
  minor: number;
  /** The host node's permission bits, given to the container's. */
  fileMode: number;
  /** r, w, m: what the device rules allow on it (Docker's default rwm). */
  access: string;
}

/** How far a time namespace's clock is ahead of the host's (negative: behind). */
export interface ClockOffset {
  secs?: number;
  nanosecs?: number;
}

/** One setrlimit(2): the resource's number and name (RLIMIT_NOFILE), soft and hard values (-1: unlimited). */
export interface Rlimit {
  resource: number;
  name: string;
  soft: number;
  hard: number;
}

export type UsernsMode = 'auto' | 'self' | IdMaps;

export type NetworkMode = 'bridge' | 'none' | 'host' | `container:${string}`;

export const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Whether the container has a namespace of this type other than the host's: a new one, or one joined by path. */
export function hasNamespace(spec: ContainerSpec, ns: Namespace): boolean {
  return spec.namespaces.includes(ns) || (spec.joinNamespaces ?? []).some((j) => j.namespace === ns);
}

/** Whether the container has a network namespace other than the host's (new from `namespaces` or --network, or joined by path). */
export function hasOwnNetworkNamespace(spec: ContainerSpec): boolean {
  const joined = spec.joinNamespaces?.some((j) => j.namespace === 'net') ?? false;
  return joined || spec.namespaces.includes('net') || spec.network === 'bridge' || spec.network === 'none';
}

export function defaultSpec(command: string[]): ContainerSpec {
  return { command, env: [DEFAULT_PATH], namespaces: [...NAMESPACES].filter((n) => n !== 'net' && n !== 'user') };
}

/** docker run --restart no|on-failure[:N]|always|unless-stopped. */
export interface RestartPolicy {
  name: 'no' | 'on-failure' | 'always' | 'unless-stopped';
  /** on-failure:N: at most N restarts. */
  maximumRetryCount?: number;
}

/** One -v / --mount / --tmpfs. */
export interface Mount {
  /** mqueue and cgroup come from OCI configs (kit-runtime): a message-queue filesystem, the cgroup view. */
  type: 'bind' | 'volume' | 'tmpfs' | 'mqueue' | 'cgroup';
  /** A host path (bind) or a volume's name; none for tmpfs. */
  source?: string;
  /** Absolute, inside the container. */
  target: string;
  readOnly: boolean;
  /** -v creates a missing host directory; --mount refuses it (Docker's split). */
  createSource?: boolean;
  /** A tmpfs's size in bytes (default: the kernel's, half of RAM) and its root's mode (default 1777). */
  tmpfs?: { size?: number; mode?: number };
  /**
   * No program in it runs (MS_NOEXEC): Docker's default for a tmpfs
   * (`--tmpfs /x:exec` lifts it), and for any mount whose config.json
   * options ask it (kit-runtime).
   */
  noexec?: boolean;
  /** A bind's set-user-ID bits and device files ignored (MS_NOSUID, MS_NODEV), as config.json asks. kit's tmpfs mounts always have both. */
  nosuid?: boolean;
  nodev?: boolean;
}
