import { posix } from 'node:path';
import { KitError } from '../errors';
import type { Resources } from '../cgroups/limits';
import { CAPABILITIES, DOCKER_DEFAULT_CAPS } from '../security/capabilities';
import { parseDockerProfile } from '../security/docker-seccomp';
import type { SecurityOptions } from '../security/options';
import { JOINABLE } from '../plan/join-namespaces';
import { insideProcProblem } from '../plan/mounts';
import { checkSysctls } from '../plan/sysctl';
import { tmpfsMode, tmpfsSize } from '../plan/tmpfs-options';
import { RLIMITS } from '../plan/process-limits';
import type { ContainerSpec, Mount, Namespace, Rlimit } from '../spec';
import type { OciConfig, OciResources } from './config';
import { hasBlkioDevices, type BlkioDevices } from '../cgroups/blkio-devices';
import { ownCgroups } from '../cgroups/own';
import { checkMap, type IdMaps } from '../userns/id-map';
import { readIdMaps } from '../userns/joined-maps';
import { ociDeviceRules } from './devices';

/**
 * The mounts kit makes itself in every root filesystem (kernel-filesystems.ts,
 * dev.ts): an OCI config may ask for these, and kit makes them its own way
 * (their options are not read: kit uses runc's). Anything else is refused.
 */
const KIT_MOUNTS: Record<string, string> = {
  '/proc': 'proc',
  '/dev': 'tmpfs',
  '/dev/pts': 'devpts',
  '/dev/shm': 'tmpfs',
  '/sys': 'sysfs',
};

const NAMESPACE_NAMES: Record<string, Namespace | undefined> = { pid: 'pid', network: 'net', mount: 'mount', ipc: 'ipc', uts: 'uts', cgroup: 'cgroup', user: 'user' };

function unsupported(field: string, what: string, fix: string): never {
  throw new KitError(`${field}: ${what}`, fix);
}

/**
 * A checked config.json -> kit's ContainerSpec, whose root filesystem is the
 * bundle's directory used as-is (as runc does). What kit cannot apply yet is
 * refused with the field's path: running anyway would confine the container
 * differently from what its config says.
 */
export function ociToSpec(config: OciConfig, rootfs: string): ContainerSpec {
  const { process: proc } = config;
  if (config.root.readonly) unsupported('root.readonly', 'a read-only root is not supported by kit-runtime yet', 'set root.readonly to false');
  for (const point of ['createContainer', 'startContainer'] as const) {
    if (config.hooks?.[point]?.length) unsupported(`hooks.${point}`, 'hooks that run inside the container are not supported by kit-runtime yet', 'use createRuntime or poststart hooks, which run on the host');
  }
  const { namespaces, joins, time, timePath } = ociNamespaces(config);
  const userJoin = joins.find((j) => j.namespace === 'user');
  const user = proc.user;
  const spec: ContainerSpec = {
    command: proc.args,
    env: proc.env ?? [],
    namespaces,
    ...(joins.length ? { joinNamespaces: joins } : {}),
    ...(namespaces.includes('user') ? { userns: ociIdMaps(config) } : {}),
    ...(userJoin ? { userns: joinedIdMaps(config, userJoin.path) } : {}),
    // a joined mount namespace is shared: pivot_root there would move every process of it into this root, and detaching the old root would take theirs
    ...(joins.some((j) => j.namespace === 'mount') ? { rootSwitch: 'chroot' as const } : {}),
    ...(timePath ? { joinTime: timePath } : time ? { timeOffsets: config.linux?.timeOffsets ?? {} } : {}),
    ...(config.hostname !== undefined ? { hostname: config.hostname } : {}),
    ...(config.linux?.sysctl && Object.keys(config.linux.sysctl).length ? { sysctls: config.linux.sysctl } : {}),
    rootDir: rootfs,
    workdir: proc.cwd,
    ...(user.uid !== 0 || user.gid !== 0 || user.additionalGids?.length ? { user: { uid: user.uid, gid: user.gid, groups: user.additionalGids ?? [] } } : {}),
    umask: ociUmask(user),
    ...(proc.oomScoreAdj !== undefined ? { oomScoreAdj: proc.oomScoreAdj } : {}),
    ...(proc.rlimits?.length ? { rlimits: ociRlimits(proc.rlimits) } : {}),
    ...(proc.terminal ? { tty: { rows: proc.consoleSize?.height ?? 0, cols: proc.consoleSize?.width ?? 0 } } : {}),
    ...(config.mounts?.length ? { mounts: ociMounts(config.mounts) } : {}),
    ...(config.linux?.resources || config.linux?.cgroupsPath ? { resources: { ...ociResources(config.linux?.resources ?? {}), ...cgroupsPath(config.linux?.cgroupsPath), updatable: true } } : {}),
    security: ociSecurity(config),
  };
  checkSysctls(spec);
  return spec;
}

function ociNamespaces(config: OciConfig): { namespaces: Namespace[]; joins: NonNullable<ContainerSpec['joinNamespaces']>; time: boolean; timePath?: string } {
  const result: Namespace[] = [];
  const joins: NonNullable<ContainerSpec['joinNamespaces']> = [];
  let time = false;
  let timePath: string | undefined;
  (config.linux?.namespaces ?? []).forEach((ns, i) => {
    const field = `linux.namespaces[${i}]`;
    if (ns.type === 'time') {
      if (time) unsupported(field, '"time" is listed twice', 'list each namespace once');
      if (ns.path !== undefined) {
        if (!ns.path.startsWith('/')) unsupported(`${field}.path`, `"${ns.path}" is not an absolute path`, 'give the namespace file, e.g. /proc/PID/ns/time');
        if (config.linux?.timeOffsets) unsupported('linux.timeOffsets', 'is set, but the time namespace is joined by path: its offsets are the ones it was made with (runc refuses both too)', 'remove timeOffsets, or "path" to get a new time namespace');
        timePath = ns.path;
      }
      time = true;
      return;
    }
    const name = NAMESPACE_NAMES[ns.type] ?? unsupported(`${field}.type`, `"${ns.type}" namespaces are not supported by kit-runtime yet`, 'remove this namespace');
    if (result.includes(name) || joins.some((j) => j.namespace === name)) unsupported(field, `"${ns.type}" is listed twice`, 'list each namespace once');
    if (ns.path === undefined) return void result.push(name);
    if (!JOINABLE.includes(name)) unsupported(`${field}.path`, `joining an existing ${ns.type} namespace is not supported by kit-runtime yet`, `remove "path" to get a new namespace (kit-runtime joins ${JOINABLE.join(', ')} namespaces)`);
    if (!ns.path.startsWith('/')) unsupported(`${field}.path`, `"${ns.path}" is not an absolute path`, 'give the namespace file, e.g. /run/netns/NAME or /proc/PID/ns/net');
    joins.push({ namespace: name, path: ns.path });
  });
  const joined = (name: Namespace) => joins.some((j) => j.namespace === name);
  if (!result.includes('mount') && !joined('mount')) unsupported('linux.namespaces', 'has no "mount" namespace, new or joined: the root filesystem mounts would land on the host', 'add {"type": "mount"}');
  if (!time && config.linux?.timeOffsets) unsupported('linux.timeOffsets', 'is set, but there is no new "time" namespace to apply it to', 'add {"type": "time"} to linux.namespaces, or remove timeOffsets');
  const mapped = config.linux?.uidMappings?.length || config.linux?.gidMappings?.length;
  if (mapped && !result.includes('user') && !joined('user')) unsupported('linux.uidMappings', 'is set, but there is no "user" namespace to map', 'add {"type": "user"} to linux.namespaces, or remove the mappings');
  // joined user namespace: the new ones are unshared in it by kit-init; a PID namespace would take a fork there that kit-init does not make
  if (joined('user') && result.includes('pid')) unsupported('linux.namespaces', 'joins a user namespace by path and asks for a new "pid" namespace: kit-runtime cannot make a PID namespace owned by a joined user namespace yet', 'join a PID namespace of that user namespace by path too, or do not join the user namespace');
  if (joined('user') && time && !timePath) unsupported('linux.namespaces', 'joins a user namespace by path and asks for a new "time" namespace: not supported by kit-runtime yet', 'remove the time namespace');
  return { namespaces: result, joins, time, timePath };
}

/**
 * A joined user namespace's maps, as runc takes them: read from the
 * namespace (they are its, not the config's to choose); mappings in the
 * config too must be the same, or it is refused.
 */
function joinedIdMaps(config: OciConfig, path: string): IdMaps {
  const maps = readIdMaps(path);
  for (const [field, kind] of [['uidMappings', 'uid'], ['gidMappings', 'gid']] as const) {
    const given = config.linux?.[field];
    if (!given?.length) continue;
    const wanted = given.map((m) => ({ inside: m.containerID, outside: m.hostID, count: m.size }));
    if (JSON.stringify(wanted) !== JSON.stringify(maps[kind])) {
      unsupported(`linux.${field}`, `differs from the ${kind} map of the user namespace it joins at ${path} (${maps[kind].map((m) => `${m.inside} ${m.outside} ${m.count}`).join(', ') || 'empty'})`, 'remove the mappings (the joined namespace has its own), or make them the same, as runc wants');
    }
  }
  return maps;
}

/** linux.uidMappings/gidMappings -> kit's --uidmap/--gidmap maps (checked, and written, by core/plan/userns.ts). */
function ociIdMaps(config: OciConfig): IdMaps {
  const maps = (field: 'uidMappings' | 'gidMappings') => {
    const list = config.linux?.[field] ?? [];
    if (!list.length) unsupported(`linux.${field}`, 'is empty, but the config asks for a user namespace: nobody inside would be mapped', `give at least one {"containerID": 0, "hostID": ..., "size": ...}`);
    return list.map((m) => ({ inside: m.containerID, outside: m.hostID, count: m.size }));
  };
  const result = { uid: maps('uidMappings'), gid: maps('gidMappings') };
  checkMap('linux.uidMappings', result.uid);
  checkMap('linux.gidMappings', result.gid);
  return result;
}

/** Past 2^63 (RLIM_INFINITY is 2^64-1, read by JSON as a float) a limit is no limit. */
function rlimitValue(v: number): number {
  return v >= 2 ** 63 ? -1 : v;
}

function ociRlimits(rlimits: NonNullable<OciConfig['process']['rlimits']>): Rlimit[] {
  return rlimits.map((r, i) => {
    const resource = RLIMITS[r.type] ?? unsupported(`process.rlimits[${i}].type`, `"${r.type}" is not a resource limit`, `use one of ${Object.keys(RLIMITS).join(', ')}`);
    const [soft, hard] = [rlimitValue(r.soft), rlimitValue(r.hard)];
    if (!Number.isInteger(soft) || !Number.isInteger(hard)) unsupported(`process.rlimits[${i}]`, 'soft and hard must be whole numbers', 'fix the values');
    if (hard !== -1 && (soft === -1 || soft > hard)) unsupported(`process.rlimits[${i}]`, `soft ${r.soft} is above hard ${r.hard}`, 'make soft at most hard');
    return { resource, name: r.type, soft, hard };
  });
}

/**
 * config.json's mounts -> kit's. The kernel filesystems every container has
 * (proc, sysfs, /dev and devpts, /dev/shm) kit makes its own way, with
 * runc's options; binds, tmpfs, mqueue and cgroup become mounts of the
 * spec, resolved safely at plan time (core/plan/mounts.ts).
 */
function ociMounts(mounts: NonNullable<OciConfig['mounts']>): Mount[] {
  const result: Mount[] = [];
  mounts.forEach((m, i) => {
    const field = `mounts[${i}]`;
    const options = m.options ?? [];
    const type = m.type ?? (options.includes('bind') || options.includes('rbind') ? 'bind' : undefined);
    if (KIT_MOUNTS[m.destination] === type) return;
    const target = posix.normalize(m.destination);
    if (target === '/') unsupported(`${field}.destination`, 'cannot mount over the container\'s /', 'pick a directory inside it');
    const inProc = insideProcProblem(target);
    if (inProc) unsupported(`${field}.destination`, inProc, 'remove the mount: kit-runtime makes /proc itself (only files LXCFS replaces, like /proc/meminfo, may be bound there)');
    const readOnly = options.includes('ro');
    const flags = mountFlags(options);
    if (type === 'bind') {
      if (!m.source?.startsWith('/')) unsupported(`${field}.source`, `"${m.source ?? ''}" is not an absolute host path`, 'give the host file or directory to bind, from /');
      result.push({ type: 'bind', source: m.source, target, readOnly, createSource: false, ...flags });
    } else if (type === 'tmpfs') {
      const tmpfs = tmpfsData(options, `${field}.options`);
      result.push({ type, target, readOnly, ...(flags.noexec ? { noexec: true } : {}), ...(Object.keys(tmpfs).length ? { tmpfs } : {}) });
    } else if (type === 'mqueue' || type === 'cgroup' || type === 'cgroup2') {
      result.push({ type: type === 'cgroup2' ? 'cgroup' : type, target, readOnly });
    } else {
      unsupported(field, `${type ?? 'a mount with no type'} at ${m.destination} is not supported by kit-runtime yet`, 'kit-runtime mounts bind, tmpfs, mqueue and cgroup, and makes proc, sysfs, devpts and /dev itself');
    }
  });
  return result;
}

/**
 * The options of a mount that confine what is in it: nosuid, nodev, noexec,
 * applied as runc applies them (a bind is remounted with them). The others
 * (propagation, atime, rbind) change nothing kit-runtime does.
 */
function mountFlags(options: string[]): Pick<Mount, 'nosuid' | 'nodev' | 'noexec'> {
  const flags: Pick<Mount, 'nosuid' | 'nodev' | 'noexec'> = {};
  for (const flag of ['nosuid', 'nodev', 'noexec'] as const) if (options.includes(flag)) flags[flag] = true;
  return flags;
}

/** A tmpfs's size= and mode= (Docker writes size=65536k); another key=value is refused by name, not dropped. */
function tmpfsData(options: string[], field: string): NonNullable<Mount['tmpfs']> {
  const tmpfs: NonNullable<Mount['tmpfs']> = {};
  for (const option of options.filter((o) => o.includes('='))) {
    const [key, value] = [option.slice(0, option.indexOf('=')), option.slice(option.indexOf('=') + 1)];
    if (key === 'size') tmpfs.size = tmpfsSize(`${field} size`, value);
    else if (key === 'mode') tmpfs.mode = tmpfsMode(field, value);
    else unsupported(field, `"${option}" is not supported by kit-runtime for a tmpfs`, 'kit-runtime applies size= (bytes, or 64k, 64m...) and mode= (octal) to a tmpfs');
  }
  return tmpfs;
}

/**
 * linux.cgroupsPath, as the cgroupfs manager writes it: one absolute path
 * below each hierarchy's root, or a relative one below kit-runtime's own cgroup. systemd's slice:prefix:name form is refused
 * (kit-runtime has no systemd driver), and so is any ".." climbing out.
 */
function cgroupsPath(path: string | undefined): Pick<Resources, 'path' | 'below'> {
  if (path === undefined || path === '') return {};
  const fix = 'give an absolute path like /mygroup/mycontainer (podman: --cgroup-manager cgroupfs), or one relative to kit-runtime\'s own cgroup';
  if (path.includes(':')) unsupported('linux.cgroupsPath', `"${path}" is a systemd slice: kit-runtime has no systemd cgroup driver`, fix);
  if (path.split('/').includes('..')) unsupported('linux.cgroupsPath', `"${path}" climbs out with ".."`, fix);
  const normal = posix.normalize(path).replace(/\/$/, '');
  if (normal === '' || normal === '/' || normal === '.') unsupported('linux.cgroupsPath', 'is the root cgroup itself', fix);
  if (normal.startsWith('/')) return { path: normal };
  // Relative: below kit-runtime's own cgroup in each hierarchy, as runc takes it below its own (read now, kept in the container's state).
  return { path: normal, below: ownCgroups() };
}

/** linux.resources -> kit's Resources (`kit-runtime update --resources` reads the same object). */
export function ociResources(r: OciResources): Resources {
  const out: Resources = {};
  if (r.cpu?.quota !== undefined && r.cpu.quota > 0) out.cpuQuota = r.cpu.quota;
  if (r.cpu?.period !== undefined && r.cpu.period > 0) out.cpuPeriod = r.cpu.period;
  if (r.cpu?.shares !== undefined && r.cpu.shares > 0) out.cpuShares = r.cpu.shares; // 0: the default weight (Docker sends it)
  if (r.cpu?.cpus !== undefined) out.cpusetCpus = r.cpu.cpus;
  if (r.memory?.limit !== undefined && r.memory.limit > 0) out.memory = r.memory.limit;
  if (r.memory?.swap !== undefined && r.memory.swap !== 0) out.memorySwap = r.memory.swap;
  if (r.memory?.reservation !== undefined && r.memory.reservation > 0) out.memoryReservation = r.memory.reservation;
  for (const field of ['kernel', 'kernelTCP'] as const) {
    if (r.memory?.[field]) unsupported(`linux.resources.memory.${field}`, 'kernel memory limits (v1 kmem) left Linux in 5.16, and runc ignores them', `remove it, or set it to 0 (docker: drop --kernel-memory)`);
  }
  if (r.pids?.limit !== undefined && r.pids.limit > 0) out.pidsLimit = r.pids.limit;
  if (r.memory?.disableOOMKiller) out.oomKillDisable = true;
  if (r.blockIO?.weight !== undefined && r.blockIO.weight > 0) out.blkioWeight = r.blockIO.weight; // 0: unset (Docker sends it)
  const devices = ociBlkioDevices(r.blockIO ?? {});
  if (hasBlkioDevices(devices)) out.blkioDevices = devices;
  return out;
}

/** blockIO's per-device lists -> kit's; a weight of 0 is unset (as runc skips it), leaf weights went with CFQ. */
function ociBlkioDevices(b: NonNullable<OciResources['blockIO']>): BlkioDevices {
  const leaf = b.leafWeight ? 'linux.resources.blockIO.leafWeight' : b.weightDevice?.some((w) => w.leafWeight) ? 'linux.resources.blockIO.weightDevice[].leafWeight' : undefined;
  if (leaf) unsupported(leaf, "leaf weights were CFQ's, which left Linux in 5.0: no kernel kit runs on has the file", 'remove it (blockIO.weight and weightDevice[].weight are applied)');
  const rates = (list: Array<{ major: number; minor: number; rate: number }> | undefined) => list?.map(({ major, minor, rate }) => ({ major, minor, value: rate }));
  const devices: BlkioDevices = {
    weight: b.weightDevice?.filter((w) => w.weight).map(({ major, minor, weight }) => ({ major, minor, value: weight! })),
    readBps: rates(b.throttleReadBpsDevice),
    writeBps: rates(b.throttleWriteBpsDevice),
    readIops: rates(b.throttleReadIOPSDevice),
    writeIops: rates(b.throttleWriteIOPSDevice),
  };
  return Object.fromEntries(Object.entries(devices).filter(([, list]) => list?.length)) as BlkioDevices;
}

function ociSecurity(config: OciConfig): SecurityOptions {
  const caps = ociCapabilities(config.process.capabilities, config.process.user.uid === 0);
  const security: SecurityOptions = {
    capAdd: caps.filter((c) => !DOCKER_DEFAULT_CAPS.includes(c)),
    capDrop: DOCKER_DEFAULT_CAPS.filter((c) => !caps.includes(c)),
    noNewPrivileges: config.process.noNewPrivileges ?? false,
    seccomp: config.linux?.seccomp ? { file: 'config.json', profile: ociSeccomp(config.linux.seccomp) } : 'unconfined',
    devices: ociDeviceRules(config.linux?.resources?.devices ?? []),
  };
  const masked = checkPaths(config.linux?.maskedPaths ?? [], 'linux.maskedPaths');
  const readOnly = checkPaths(config.linux?.readonlyPaths ?? [], 'linux.readonlyPaths');
  if (!masked.length && !readOnly.length) security.unmaskedPaths = true;
  else security.paths = { masked, readOnly };
  return security;
}

/** Paths inside the container, masked after the root switch: absolute, normalised. */
function checkPaths(paths: string[], field: string): string[] {
  return paths.map((p, i) => {
    if (!p.startsWith('/')) unsupported(`${field}[${i}]`, `"${p}" is not an absolute path`, 'give paths from the container\'s /, e.g. /proc/kcore');
    return posix.normalize(p);
  });
}

/**
 * kit gives the process one capability set (bounding = effective =
 * permitted) and an empty inheritable set (as runc since CVE-2022-24769).
 * For root, inheritable and ambient add nothing on exec, so they may hold the
 * same set or less. A process of another user keeps no
 * capability across its execve but the ambient ones, which kit empties: its
 * effective and permitted sets may be less than bounding (podman leaves them
 * empty), ambient must be empty.
 */
export function ociCapabilities(c: NonNullable<OciConfig['process']['capabilities']> | undefined, root = true): string[] {
  const names = (set: string[] | undefined, field: string): string[] =>
    (set ?? []).map((name, i) => {
      const short = name.toUpperCase().replace(/^CAP_/, '');
      if (!name.startsWith('CAP_') || !CAPABILITIES.includes(short as (typeof CAPABILITIES)[number])) unsupported(`process.capabilities.${field}[${i}]`, `"${name}" is not a capability`, 'write names like CAP_NET_BIND_SERVICE');
      return short;
    });
  const bounding = names(c?.bounding, 'bounding');
  const same = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));
  for (const field of ['effective', 'permitted'] as const) {
    const set = names(c?.[field], field);
    if (!root && set.every((x) => bounding.includes(x))) continue;
    if (!same(set, bounding)) unsupported(`process.capabilities.${field}`, 'differs from bounding: kit-runtime gives the process one capability set yet', 'make bounding, effective and permitted the same list');
  }
  if (!root && names(c?.ambient, 'ambient').length) unsupported('process.capabilities.ambient', 'ambient capabilities for a user other than root are not supported by kit-runtime yet', 'leave ambient empty');
  for (const field of ['inheritable', 'ambient'] as const) {
    const extra = names(c?.[field], field).find((x) => !bounding.includes(x));
    if (extra) unsupported(`process.capabilities.${field}`, `holds CAP_${extra}, which is not in bounding`, 'keep inheritable and ambient within bounding');
  }
  return [...new Set(bounding)];
}

/** linux.seccomp is Docker's profile format without its archMap/includes extras: core/security reads both. */
function ociSeccomp(seccomp: Record<string, unknown>) {
  if (seccomp.listenerPath !== undefined) unsupported('linux.seccomp.listenerPath', 'a seccomp notify listener is not supported by kit-runtime', 'remove listenerPath and any SCMP_ACT_NOTIFY rule');
  if (Array.isArray(seccomp.flags) && seccomp.flags.length) unsupported('linux.seccomp.flags', 'seccomp filter flags are not applied by kit-runtime yet', 'remove linux.seccomp.flags');
  return parseDockerProfile(seccomp, 'linux.seccomp');
}

/**
 * The command's file-creation mask: process.user.umask, else 0022, as runc
 * sets it in the container's init (and in each exec) whatever its caller's
 * was: a podman or containerd run under a hardened 077 still starts with 0022.
 */
export function ociUmask(user: { umask?: number }): number {
  return user.umask ?? RUNC_DEFAULT_UMASK;
}

const RUNC_DEFAULT_UMASK = 0o022;
