import { KitError } from '../errors';
import type { Resources } from '../cgroups/limits';
import { MASKED_PATHS, READ_ONLY_PATHS } from '../plan/masked-paths';
import { CAPABILITIES, DOCKER_DEFAULT_CAPS } from '../security/capabilities';
import { parseDockerProfile } from '../security/docker-seccomp';
import type { SecurityOptions } from '../security/options';
import type { ContainerSpec, Namespace } from '../spec';
import type { OciConfig } from './config';

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

/** In runc's default set, but kit's rootfs plan does not make them yet. */
const NOT_YET: Record<string, string> = { mqueue: '/dev/mqueue', cgroup: '/sys/fs/cgroup', cgroup2: '/sys/fs/cgroup' };

const NAMESPACE_NAMES: Record<string, Namespace | undefined> = { pid: 'pid', network: 'net', mount: 'mount', ipc: 'ipc', uts: 'uts', cgroup: 'cgroup' };

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
  if (proc.user.uid !== 0 || proc.user.gid !== 0) unsupported('process.user', `uid ${proc.user.uid} gid ${proc.user.gid}: kit-runtime runs the process as root (0:0) only yet`, 'set process.user to {"uid": 0, "gid": 0}');
  if (proc.user.additionalGids?.length) unsupported('process.user.additionalGids', 'is not applied by kit-runtime yet', 'remove it');
  if (proc.user.umask !== undefined) unsupported('process.user.umask', 'is not applied by kit-runtime yet', 'remove it');
  if (proc.rlimits?.length) unsupported(`process.rlimits[0]`, `${proc.rlimits[0].type} cannot be applied: kit-runtime does not set rlimits yet`, 'remove process.rlimits (the process keeps the limits kit-runtime runs with)');
  if (config.root.readonly) unsupported('root.readonly', 'a read-only root is not supported by kit-runtime yet', 'set root.readonly to false');
  if (proc.terminal) unsupported('process.terminal', 'a terminal needs --console-socket, which kit-runtime does not support yet', 'set process.terminal to false');
  const namespaces = ociNamespaces(config);
  checkMounts(config);
  return {
    command: proc.args,
    env: proc.env ?? [],
    namespaces,
    ...(config.hostname !== undefined ? { hostname: config.hostname } : {}),
    rootDir: rootfs,
    workdir: proc.cwd,
    ...(config.linux?.resources ? { resources: ociResources(config.linux.resources) } : {}),
    security: ociSecurity(config),
  };
}

function ociNamespaces(config: OciConfig): Namespace[] {
  const result: Namespace[] = [];
  (config.linux?.namespaces ?? []).forEach((ns, i) => {
    const field = `linux.namespaces[${i}]`;
    if (ns.path) unsupported(`${field}.path`, `joining an existing ${ns.type} namespace is not supported by kit-runtime yet`, 'remove "path" to get a new namespace');
    const name = NAMESPACE_NAMES[ns.type] ?? unsupported(`${field}.type`, `"${ns.type}" namespaces are not supported by kit-runtime yet`, 'remove this namespace');
    if (result.includes(name)) unsupported(field, `"${ns.type}" is listed twice`, 'list each namespace once');
    result.push(name);
  });
  if (!result.includes('mount')) unsupported('linux.namespaces', 'has no "mount" namespace: the root filesystem mounts would land on the host', 'add {"type": "mount"}');
  return result;
}

function checkMounts(config: OciConfig): void {
  (config.mounts ?? []).forEach((m, i) => {
    const expected = KIT_MOUNTS[m.destination];
    if (m.type && NOT_YET[m.type]) unsupported(`mounts[${i}]`, `type "${m.type}" is not mounted by kit-runtime yet`, `remove mounts[${i}]; kit-runtime makes only ${mountList()}`);
    if (m.type && m.type !== expected && !Object.values(KIT_MOUNTS).includes(m.type)) unsupported(`mounts[${i}]`, `type "${m.type}" is not supported by kit-runtime yet`, `kit-runtime makes only ${mountList()}`);
    if (!expected || m.type !== expected) unsupported(`mounts[${i}]`, `${m.type ?? 'a mount with no type'} at ${m.destination} is not supported by kit-runtime yet`, `kit-runtime makes only ${mountList()}`);
  });
}

function mountList(): string {
  return Object.entries(KIT_MOUNTS).map(([dest, type]) => `${type} at ${dest}`).join(', ');
}

function ociResources(r: NonNullable<NonNullable<OciConfig['linux']>['resources']>): Resources {
  (r.devices ?? []).forEach((d, i) => {
    const denyAll = !d.allow && (d.access === undefined || d.access === 'rwm') && d.type === undefined && d.major === undefined && d.minor === undefined;
    if (!denyAll) unsupported(`linux.resources.devices[${i}]`, 'device rules are not read by kit-runtime yet (it applies Docker\'s default device rules)', 'keep only {"allow": false, "access": "rwm"}');
  });
  const out: Resources = {};
  if (r.cpu?.quota !== undefined && r.cpu.quota > 0) out.cpuQuota = r.cpu.quota;
  if (r.cpu?.period !== undefined && r.cpu.period > 0) out.cpuPeriod = r.cpu.period;
  if (r.cpu?.shares !== undefined) out.cpuShares = r.cpu.shares;
  if (r.cpu?.cpus !== undefined) out.cpusetCpus = r.cpu.cpus;
  if (r.memory?.limit !== undefined && r.memory.limit > 0) out.memory = r.memory.limit;
  if (r.memory?.swap !== undefined && r.memory.swap !== 0) out.memorySwap = r.memory.swap;
  if (r.pids?.limit !== undefined && r.pids.limit > 0) out.pidsLimit = r.pids.limit;
  return out;
}

function ociSecurity(config: OciConfig): SecurityOptions {
  const caps = ociCapabilities(config.process.capabilities);
  const security: SecurityOptions = {
    capAdd: caps.filter((c) => !DOCKER_DEFAULT_CAPS.includes(c)),
    capDrop: DOCKER_DEFAULT_CAPS.filter((c) => !caps.includes(c)),
    noNewPrivileges: config.process.noNewPrivileges ?? false,
    seccomp: config.linux?.seccomp ? { file: 'config.json', profile: ociSeccomp(config.linux.seccomp) } : 'unconfined',
  };
  const masked = config.linux?.maskedPaths ?? [];
  const readOnly = config.linux?.readonlyPaths ?? [];
  checkPaths(masked, MASKED_PATHS, 'linux.maskedPaths');
  checkPaths(readOnly, READ_ONLY_PATHS, 'linux.readonlyPaths');
  // kit masks runc's lists as one: none asked = none applied; some = all of them.
  if (!masked.length && !readOnly.length) security.unmaskedPaths = true;
  return security;
}

function checkPaths(paths: string[], known: readonly string[], field: string): void {
  paths.forEach((p, i) => {
    if (!known.includes(p)) unsupported(`${field}[${i}]`, `${p} is not one of the paths kit-runtime knows how to protect yet`, `kit-runtime applies runc's list: ${known.join(', ')}`);
  });
}

/**
 * kit gives the process one capability set (bounding = effective = permitted);
 * as root (the only user kit-runtime runs as yet) inheritable and ambient add
 * nothing on exec, so they may hold the same set or less.
 */
function ociCapabilities(c: NonNullable<OciConfig['process']['capabilities']> | undefined): string[] {
  const names = (set: string[] | undefined, field: string): string[] =>
    (set ?? []).map((name, i) => {
      const short = name.toUpperCase().replace(/^CAP_/, '');
      if (!name.startsWith('CAP_') || !CAPABILITIES.includes(short as (typeof CAPABILITIES)[number])) unsupported(`process.capabilities.${field}[${i}]`, `"${name}" is not a capability`, 'write names like CAP_NET_BIND_SERVICE');
      return short;
    });
  const bounding = names(c?.bounding, 'bounding');
  const same = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));
  for (const field of ['effective', 'permitted'] as const) {
    if (!same(names(c?.[field], field), bounding)) unsupported(`process.capabilities.${field}`, 'differs from bounding: kit-runtime gives the process one capability set yet', 'make bounding, effective and permitted the same list');
  }
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
