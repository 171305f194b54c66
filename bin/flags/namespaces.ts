import { Flags } from '@oclif/core';
import { checkSysctls, KitError, namespaceModes, parseBytes, type ContainerSpec, type KitPaths } from '../../core';

/**
 * docker run's namespace modes and what lives in those namespaces: --pid,
 * --ipc, --uts (host or another container's instead of the container's
 * own), --sysctl (a namespaced kernel parameter), --shm-size, --domainname.
 */
export const namespaceFlags = {
  pid: Flags.string({
    helpGroup: 'NAMESPACES',
    helpValue: 'host|container:NAME',
    description: "host: no PID namespace of its own: it sees and can signal every process of the host (turns that protection off; docker run --pid host); container:NAME: that container's",
  }),
  ipc: Flags.string({
    helpGroup: 'NAMESPACES',
    helpValue: 'private|shareable|none|host|container:NAME',
    description: "private (default) or shareable: an IPC namespace and /dev/shm of its own, shareable lets --ipc container:NAME join it (its /dev/shm is then a tmpfs kit mounts on the host, needs root); none: no /dev/shm; host: the host's System V IPC and /dev/shm (turns that protection off); container:NAME: a shareable container's System V IPC and /dev/shm (docker run --ipc)",
  }),
  uts: Flags.string({ helpGroup: 'NAMESPACES', helpValue: 'host', description: "host: the host's UTS namespace, so its hostname (no -h then; turns that protection off: sethostname inside would rename the host)" }),
  sysctl: Flags.string({
    multiple: true,
    multipleNonGreedy: true,
    helpGroup: 'NAMESPACES',
    helpValue: 'KEY=VALUE',
    description: "a kernel parameter of the container's own namespaces, written in its /proc/sys: net.* (own network), kernel.msg*/sem/shm*, fs.mqueue.* (own IPC), kernel.domainname; host-wide ones are refused (docker run --sysctl)",
  }),
  'shm-size': Flags.string({ helpGroup: 'NAMESPACES', helpValue: 'SIZE', description: 'size of its /dev/shm tmpfs, e.g. 8m (default 64m; docker run --shm-size)' }),
  domainname: Flags.string({ helpGroup: 'NAMESPACES', helpValue: 'NAME', description: "the NIS domain name of its UTS namespace (uname's, domainname; docker run --domainname)" }),
};

type NamespaceFlagValues = { pid?: string; ipc?: string; uts?: string; sysctl?: string[]; 'shm-size'?: string; domainname?: string; hostname?: string; network?: string };

/** The modes and sysctls as spec fields, each bad value refused here (before anything is made). */
export function namespaceSpec(flags: NamespaceFlagValues, spec: ContainerSpec, paths: KitPaths): Partial<ContainerSpec> {
  const modes = namespaceModes({ pid: flags.pid, ipc: flags.ipc, uts: flags.uts }, spec, paths, flags.hostname);
  const out: Partial<ContainerSpec> = { ...modes };
  if (flags['shm-size'] !== undefined) {
    const size = parseBytes('--shm-size', flags['shm-size']);
    if (size < 4096) throw new KitError(`bad --shm-size '${flags['shm-size']}': below one page`, 'give a size like 8m or 64m');
    if (modes.ipcMode !== 'private' && modes.ipcMode !== 'shareable') throw new KitError(`conflicting options: --shm-size and --ipc ${modes.ipcMode}`, `--shm-size sizes a /dev/shm of the container's own, and --ipc ${modes.ipcMode} ${modes.ipcMode === 'none' ? 'has none' : 'shares another'}: drop one`);
    out.shmSize = size;
  }
  if (flags.domainname !== undefined) {
    if (!modes.namespaces.includes('uts')) throw new KitError('conflicting options: domainname and the UTS mode', "--uts host shares the host's UTS namespace: setting its domain name would rename the host's");
    if (!/^[A-Za-z0-9]([A-Za-z0-9.-]{0,62})$/.test(flags.domainname)) throw new KitError(`bad --domainname '${flags.domainname}'`, 'use letters, digits, dots and dashes, at most 64, e.g. --domainname example.org');
    out.domainname = flags.domainname;
  }
  if (flags.sysctl?.length) {
    out.sysctls = Object.fromEntries(flags.sysctl.map(parseSysctl));
    if (flags.network?.startsWith('container:') && Object.keys(out.sysctls).some((k) => k.startsWith('net.'))) {
      throw new KitError(`conflicting options: --sysctl net.* and --network ${flags.network}`, "the network namespace is that container's: give the sysctl to it");
    }
    checkSysctls({ ...spec, ...out });
  }
  return out;
}

function parseSysctl(text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq < 1) throw new KitError(`bad --sysctl '${text}'`, 'use KEY=VALUE, e.g. --sysctl net.ipv4.ip_forward=1');
  return [text.slice(0, eq).replace(/\//g, '.'), text.slice(eq + 1)];
}
