import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { KitError } from '../errors';

/** One published port: `-p 8080:80`, `-p 127.0.0.1:8080:80`, `-p 5353:53/udp`. */
export interface PortMapping {
  /** Only packets for this host address are forwarded (-p IP:HOST:CTR); unset: every local address. */
  hostIp?: string;
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

const FORMAT = 'use [IP:][HOSTPORT:]CONTAINERPORT[/tcp|/udp], each port or a range (8080-8081:80-81), e.g. -p 8080:80 or -p 127.0.0.1:5353:53/udp';

/** A host port left out (`-p 80`, `-p 127.0.0.1::80`, -P): one is chosen when the container starts. */
export const ANY_PORT = 0;

/**
 * docker run -p: `[IP:][HOST:]CTR[/proto]`, where HOST and CTR may be
 * ranges of the same length (8080-8081:80-81 is two mappings). A missing
 * HOST is ANY_PORT. IPv4 only, as kit0 is.
 */
export function parsePort(text: string): PortMapping[] {
  const m = /^(?:(\d{1,3}(?:\.\d{1,3}){3}):)?(?:(\d+(?:-\d+)?)?:)?(\d+(?:-\d+)?)(?:\/(tcp|udp))?$/.exec(text.trim());
  if (!m) throw new KitError(`bad -p value '${text}'`, FORMAT);
  const [, hostIp, host, ctr, proto] = m;
  if (hostIp && isIP(hostIp) !== 4) throw new KitError(`bad -p value '${text}': ${hostIp} is not an IPv4 address`, FORMAT);
  const containerPorts = portRange(ctr, text);
  const hostPorts = host === undefined || host === '' ? containerPorts.map(() => ANY_PORT) : portRange(host, text);
  if (hostPorts.length !== containerPorts.length) throw new KitError(`bad -p value '${text}': the host range has ${hostPorts.length} ports and the container range ${containerPorts.length}`, 'give ranges of the same length, e.g. -p 8080-8081:80-81');
  return containerPorts.map((containerPort, i) => ({ ...(hostIp ? { hostIp } : {}), hostPort: hostPorts[i], containerPort, protocol: (proto ?? 'tcp') as PortMapping['protocol'] }));
}

/** `80` or `80-82` -> [80] or [80, 81, 82]; at most 1024 ports, each 1 to 65535. */
function portRange(text: string, flag: string): number[] {
  const [first, last = first] = text.split('-').map(Number);
  for (const port of [first, last]) {
    if (port < 1 || port > 65535) throw new KitError(`port ${port} in -p ${flag} is out of range`, 'ports go from 1 to 65535');
  }
  if (last < first || last - first >= 1024) throw new KitError(`bad port range ${text} in -p ${flag}`, 'a range goes up, FIRST-LAST, at most 1024 ports');
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

export function formatPort(p: PortMapping): string {
  return `${p.hostIp ? `${p.hostIp}:` : ''}${p.hostPort}:${p.containerPort}/${p.protocol}`;
}

/**
 * A host port for `-p CTR` and -P: a random one of the kernel's ephemeral
 * range (as Docker picks them) that no host socket uses and that is not in
 * `taken` (ports this command or a container already publishes).
 */
export function freeHostPort(protocol: PortMapping['protocol'], taken: ReadonlySet<number>): number {
  const [low, high] = ephemeralRange();
  for (let tries = 0; tries < 200; tries++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (!taken.has(port) && !hostPortInUse({ hostPort: port, containerPort: port, protocol })) return port;
  }
  throw new KitError(`no free host port found in ${low}-${high}`, 'publish with an explicit host port: -p HOSTPORT:CONTAINERPORT');
}

function ephemeralRange(): [number, number] {
  let low = 32768;
  let high = 60999;
  try {
    [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  } catch {
    // no procfs: Linux's default range
  }
  return low > 0 && high >= low ? [low, high] : [32768, 60999];
}

/** Every ANY_PORT given a free host port of its own (distinct within the list). */
export function assignHostPorts(ports: PortMapping[]): PortMapping[] {
  const taken = new Set(ports.map((p) => p.hostPort));
  return ports.map((p) => {
    if (p.hostPort !== ANY_PORT) return p;
    const hostPort = freeHostPort(p.protocol, taken);
    taken.add(hostPort);
    return { ...p, hostPort };
  });
}

/**
 * Is something on the host already using this port? For tcp a listening
 * socket, for udp any bound socket, from /proc/net (IPv4 and IPv6). A DNAT
 * rule would silently steal its traffic, so kit refuses instead.
 */
function hostPortInUse(p: PortMapping): boolean {
  const files = p.protocol === 'tcp' ? ['/proc/net/tcp', '/proc/net/tcp6'] : ['/proc/net/udp', '/proc/net/udp6'];
  const LISTEN = '0A';
  return files.some((file) =>
    readLines(file).some((fields) => {
      const port = parseInt(fields[1]?.split(':')[1] ?? '', 16);
      return port === p.hostPort && (p.protocol === 'udp' || fields[3] === LISTEN);
    }),
  );
}

export function checkHostPortFree(p: PortMapping): void {
  if (hostPortInUse(p)) throw new KitError(`port ${p.hostPort}/${p.protocol} is already in use on the host`, `pick another host port (see \`ss -lntup | grep :${p.hostPort}\`)`);
}

function readLines(file: string): string[][] {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.trim().split(/\s+/));
  } catch {
    return [];
  }
}
