import { hostname as osHostname } from 'node:os';
import { KitError } from '../errors';
import type { KitPaths } from '../paths';
import type { ContainerSpec, Namespace } from '../spec';
import { sharedContainer } from './shared-container';
import { donorShm } from './shareable-shm';

/** docker run --pid, --ipc, --uts as given on the command line. */
export interface NamespaceModes {
  pid?: string;
  ipc?: string;
  uts?: string;
}

type ModeFields = Pick<ContainerSpec, 'namespaces' | 'pidMode' | 'ipcMode' | 'utsMode' | 'shmSource' | 'hostname'>;

/**
 * Docker's namespace modes as spec fields. `host` drops the namespace from
 * the ones clone() creates: the container shares the host's processes
 * (pid), System V IPC and /dev/shm (ipc), or hostname (uts). Each turns a
 * protection off. `container:NAME` joins a running container's (setns, at
 * plan time: resolveModeContainers). The refusals are Docker's: a hostname
 * in the host's UTS namespace, the host's PID namespace from a user
 * namespace, IPC of a container that did not make its IPC shareable.
 */
export function namespaceModes(modes: NamespaceModes, spec: Pick<ContainerSpec, 'namespaces' | 'userns'>, paths: KitPaths, hostname?: string): ModeFields {
  const drop = new Set<Namespace>();
  const out: Partial<ModeFields> = {};
  const userns = spec.namespaces.includes('user');
  if (modes.pid !== undefined && modes.pid !== '') {
    const pid = modes.pid;
    if (pid !== 'host' && !/^container:.+/.test(pid)) throw new KitError(`bad --pid value '${pid}'`, 'use host or container:NAME');
    if (pid === 'host' && userns) throw new KitError("--pid host cannot be used in a user namespace: its root would see and signal the host's processes it cannot own", process.getuid?.() === 0 ? 'drop --userns/--uidmap, or --pid host' : 'run it with sudo, without --userns');
    if (pid !== 'host') sharedContainer(pid.slice('container:'.length), paths, '--pid');
    drop.add('pid');
    out.pidMode = pid;
  }
  const ipc = modes.ipc ?? 'private';
  if (!['private', 'shareable', 'none', 'host'].includes(ipc) && !/^container:.+/.test(ipc)) throw new KitError(`bad --ipc value '${ipc}'`, 'use private, shareable, none, host or container:NAME');
  out.ipcMode = ipc;
  if (ipc === 'none') out.shmSource = 'none';
  if (ipc === 'host') {
    drop.add('ipc');
    out.shmSource = '/dev/shm';
  }
  if (ipc.startsWith('container:')) {
    const donor = sharedContainer(ipc.slice('container:'.length), paths, '--ipc');
    const mode = donor.spec.ipcMode ?? 'private';
    if (mode !== 'shareable' && mode !== 'host') throw new KitError(`--ipc ${ipc}: that container's IPC is ${mode}, not shareable`, `start it with --ipc shareable (Docker's rule: a container shares its IPC only when it says so)`);
    drop.add('ipc');
  }
  if (modes.uts !== undefined && modes.uts !== '') {
    if (modes.uts !== 'host') throw new KitError(`bad --uts value '${modes.uts}'`, 'use host (or leave it out for a UTS namespace of its own)');
    if (hostname !== undefined) throw new KitError('conflicting options: hostname and the UTS mode', "--uts host shares the host's hostname: drop -h, or --uts host");
    drop.add('uts');
    out.utsMode = 'host';
    out.hostname = osHostname();
  }
  return { ...out, namespaces: spec.namespaces.filter((n) => !drop.has(n)) } as ModeFields;
}

/**
 * --pid/--ipc container:NAME become joins of that container's namespaces
 * (System V IPC, and /dev/shm bound from the donor's host-side tmpfs or the
 * host's), with the pid it has when this container
 * starts, so a restarted container joins the running one, not a stale pid.
 */
export function resolveModeContainers(spec: ContainerSpec, paths: KitPaths): ContainerSpec {
  const joins: NonNullable<ContainerSpec['joinNamespaces']> = [];
  let shmSource = spec.shmSource;
  if (spec.pidMode?.startsWith('container:')) {
    const other = sharedContainer(spec.pidMode.slice('container:'.length), paths, '--pid');
    joins.push({ namespace: 'pid', path: `/proc/${other.pid}/ns/pid` });
  }
  if (spec.ipcMode?.startsWith('container:')) {
    const other = sharedContainer(spec.ipcMode.slice('container:'.length), paths, '--ipc');
    joins.push({ namespace: 'ipc', path: `/proc/${other.pid}/ns/ipc` });
    // POSIX shared memory with the System V IPC, as Docker: the donor's /dev/shm, a tmpfs it has on the host (shareable-shm.ts).
    shmSource = donorShm(other, paths, spec.ipcMode);
  }
  if (!joins.length) return spec;
  return { ...spec, joinNamespaces: [...(spec.joinNamespaces ?? []), ...joins], shmSource };
}
