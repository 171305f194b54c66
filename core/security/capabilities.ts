import { readFileSync } from 'node:fs';
import { KitError } from '../errors';

/**
 * Linux capabilities: root's power split into ~40 pieces, each checked by
 * the kernel for its own family of operations. The index is the bit number
 * (<linux/capability.h>); native-rs names them in traces with the `caps` crate.
 */
export const CAPABILITIES = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID',
  'SETPCAP', 'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW',
  'IPC_LOCK', 'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT',
  'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD',
  'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG',
  'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF', 'CHECKPOINT_RESTORE',
] as const;

/**
 * Docker's default set (moby's oci/caps/defaults.go): enough for what images
 * usually do as root (chown files, bind port 80, switch users, ping), nothing
 * that reaches past the container (no SYS_ADMIN, SYS_MODULE, NET_ADMIN...).
 */
export const DOCKER_DEFAULT_CAPS = [
  'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP',
  'NET_BIND_SERVICE', 'NET_RAW', 'SYS_CHROOT', 'MKNOD', 'AUDIT_WRITE', 'SETFCAP',
];

/** `net_admin`, `CAP_NET_ADMIN` -> `NET_ADMIN`; `ALL` stays `ALL`. One line naming a bad value. */
export function parseCapability(flag: string, text: string): string {
  const name = text.trim().toUpperCase().replace(/^CAP_/, '');
  if (name === 'ALL' || CAPABILITIES.includes(name as (typeof CAPABILITIES)[number])) return name;
  throw new KitError(`unknown capability '${text}' in ${flag}`, `use a name from \`man 7 capabilities\`, with or without CAP_ (e.g. NET_ADMIN), or ALL`);
}

/**
 * The set a container gets, as Docker computes it: the default set, or
 * every capability with ALL; minus --cap-drop; plus --cap-add (add wins, as
 * with Docker, except that --cap-drop ALL --cap-add X gives exactly X).
 */
export function containerCapabilities(capAdd: string[] = [], capDrop: string[] = []): string[] {
  const add = capAdd.map((c) => parseCapability('--cap-add', c));
  const drop = capDrop.map((c) => parseCapability('--cap-drop', c));
  const base = add.includes('ALL') ? [...CAPABILITIES] : drop.includes('ALL') ? [] : DOCKER_DEFAULT_CAPS;
  const kept = base.filter((c) => !drop.includes(c));
  return CAPABILITIES.filter((c) => kept.includes(c) || add.includes(c));
}

export function capabilityNumber(name: string): number {
  return CAPABILITIES.indexOf(name as (typeof CAPABILITIES)[number]);
}

/** Bit mask of names, as /proc/<pid>/status prints it (CapEff: 00000000a80425fb). */
export function capabilityMask(names: string[]): bigint {
  return names.reduce((mask, name) => mask | (1n << BigInt(capabilityNumber(name))), 0n);
}

/** The names in a mask, lowest bit first; a bit kit has no name for is `cap_N`. */
export function capabilityNames(mask: bigint): string[] {
  const names: string[] = [];
  for (let bit = 0; bit < 64; bit++) if (mask & (1n << BigInt(bit))) names.push(CAPABILITIES[bit] ?? `cap_${bit}`);
  return names;
}

/** The highest capability this kernel knows (/proc/sys/kernel/cap_last_cap). */
export function lastCapability(): number {
  try {
    return Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8').trim());
  } catch {
    return CAPABILITIES.length - 1;
  }
}

/** A capability line of /proc/<pid>/status (`CapEff`, `CapBnd`...) as a mask. */
export function processCapabilities(pid: number | 'self', line: 'CapEff' | 'CapPrm' | 'CapBnd' | 'CapInh' | 'CapAmb'): bigint {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const hex = new RegExp(`^${line}:\\s*([0-9a-f]+)$`, 'm').exec(status)?.[1];
  return hex === undefined ? 0n : BigInt(`0x${hex}`);
}
