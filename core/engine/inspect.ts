import { existsSync, readlinkSync } from 'node:fs';
import { containerCgroups } from '../cgroups/container';
import { liveLeases } from '../network/ipam';
import { formatPort } from '../network/ports';
import type { KitPaths } from '../paths';
import { NAMESPACES, type ContainerSpec } from '../spec';
import { DEFAULT_SHM_BYTES } from '../plan/dev';
import { containerLayerDir, lookupContainerLayer } from '../storage/containers';
import { driverNamed } from '../storage/drivers';
import { info } from './list';
import type { ContainerRef } from './names';
import { runningExecs } from './exec-record';
import { logFile } from './log-path';

/**
 * `kit inspect` of a container, in Docker's shape (Id, State, Config,
 * HostConfig, NetworkSettings, GraphDriver...) plus what kit can show of the
 * host's side: the namespaces by inode, the cgroup directories.
 */
export function inspectContainer(paths: KitPaths, ref: ContainerRef): Record<string, unknown> {
  const c = info(paths, ref);
  const spec = ref.running?.spec ?? ref.record!.spec;
  const pid = c.pid ?? 0;
  const exit = ref.record?.exit;
  const lease = liveLeases().find((l) => l.id === c.id);
  return {
    Id: c.id,
    Name: `/${c.name}`,
    Created: c.createdAt,
    Path: spec.command[0] ?? null,
    Args: spec.command.slice(1),
    State: {
      Status: c.state,
      Running: c.state === 'running' || c.state === 'paused',
      Paused: c.state === 'paused',
      OOMKilled: c.oomKilled,
      Pid: pid,
      ExitCode: c.exitCode ?? 0,
      Signal: exit?.signal ?? null,
      Error: (c.state === 'exited' || c.state === 'created' ? ref.record?.startFailure?.error : undefined) ?? exit?.error ?? '',
      StartedAt: c.startedAt,
      FinishedAt: c.finishedAt,
    },
    Image: spec.image ?? null,
    RestartCount: c.restartCount,
    AutoRemove: c.autoRemove,
    LogPath: logFile(paths, c.id),
    // kit exec -d / -it processes still running in it (exec-record.ts), null when none, as Docker's
    ExecIDs: ref.running ? runningExecs(paths, c.id) : null,
    Config: { Hostname: spec.hostname ?? c.id, Env: spec.env, Cmd: spec.command, WorkingDir: spec.workdir ?? '', Image: spec.image ?? null, Labels: spec.labels ?? {}, User: spec.user ? `${spec.user.uid}:${spec.user.gid}` : '', StopSignal: spec.stopSignal ?? 'SIGTERM', StopTimeout: spec.stopTimeout ?? 10 },
    HostConfig: { NetworkMode: spec.network ?? null, PortBindings: (spec.ports ?? []).map(formatPort), Resources: spec.resources ?? null, StorageDriver: spec.storageDriver ?? null, ReadonlyRootfs: spec.readOnly ?? false, Init: spec.init ?? false, Ulimits: (spec.rlimits ?? []).map((u) => ({ Name: u.name.slice(7).toLowerCase(), Soft: u.soft, Hard: u.hard })), ExtraHosts: (spec.extraHosts ?? []).map((h) => `${h.name}:${h.address}`), Dns: spec.dns ?? [], ...namespaceHostConfig(spec) },
    NetworkSettings: { IPAddress: lease?.address ?? '', Ports: (spec.ports ?? []).map(formatPort) },
    Namespaces: pid ? namespacesOf(pid) : {},
    Cgroups: cgroupPaths(spec, c.id),
    GraphDriver: graphDriver(paths, c.id),
    StateDir: ref.running ? c.stateDir : null,
  };
}

/** docker inspect's HostConfig fields of --pid, --ipc, --uts, --sysctl, --device, --group-add, --shm-size and the memory flags. */
function namespaceHostConfig(spec: ContainerSpec): Record<string, unknown> {
  return {
    PidMode: spec.pidMode ?? '',
    IpcMode: spec.ipcMode ?? 'private',
    UTSMode: spec.utsMode ?? '',
    Sysctls: spec.sysctls ?? {},
    Devices: (spec.devices ?? []).map((d) => ({ PathOnHost: d.hostPath, PathInContainer: d.path, CgroupPermissions: d.access })),
    GroupAdd: spec.groupAdd ?? [],
    ShmSize: spec.shmSource ? 0 : (spec.shmSize ?? DEFAULT_SHM_BYTES),
    OomKillDisable: spec.resources?.oomKillDisable ?? false,
    MemoryReservation: spec.resources?.memoryReservation ?? 0,
  };
}

/** Each namespace of the container's first process, as its /proc link names it (type:[inode]). */
function namespacesOf(pid: number): Record<string, string> {
  const files: Record<string, string> = { mount: 'mnt', uts: 'uts', ipc: 'ipc', pid: 'pid', net: 'net', user: 'user', cgroup: 'cgroup' };
  const result: Record<string, string> = {};
  for (const ns of NAMESPACES) {
    try {
      result[ns] = readlinkSync(`/proc/${pid}/ns/${files[ns]}`);
    } catch {
      // gone, or this kernel lacks it
    }
  }
  return result;
}

function cgroupPaths(spec: Parameters<typeof containerCgroups>[0], id: string): string[] {
  try {
    return (containerCgroups(spec, id)?.dirs ?? []).map((d) => d.path).filter((p) => existsSync(p));
  } catch {
    return [];
  }
}

function graphDriver(paths: KitPaths, id: string): { Name: string; Data: Record<string, string | null> } | null {
  const layer = lookupContainerLayer(paths, id);
  if (!layer) return null;
  const driver = driverNamed(layer.driver);
  const dir = containerLayerDir(paths, id);
  return { Name: layer.driver, Data: { Layers: layer.layers.join(':'), UpperDir: driver.upperDir(dir) ?? null, RootfsDir: driver.rootfsDir(dir) } };
}
