import { readFileSync } from 'node:fs';
import { KitError } from '../errors';

/** One published port: `-p 8080:80` or `-p 5353:53/udp`. */
export interface PortMapping {
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

const FORMAT = 'use HOSTPORT:CONTAINERPORT[/tcp|/udp], e.g. -p 8080:80 or -p 5353:53/udp';

export function parsePort(text: string): PortMapping {
  const m = /^(\d+):(\d+)(?:\/(tcp|udp))?$/.exec(text.trim());
  if (!m) throw new KitError(`bad -p value '${text}'`, FORMAT);
  const mapping: PortMapping = { hostPort: Number(m[1]), containerPort: Number(m[2]), protocol: (m[3] ?? 'tcp') as PortMapping['protocol'] };
  for (const port of [mapping.hostPort, mapping.containerPort]) {
    if (port < 1 || port > 65535) throw new KitError(`port ${port} in -p ${text} is out of range`, 'ports go from 1 to 65535');
  }
  return mapping;
}

export function formatPort(p: PortMapping): string {
  return `${p.hostPort}:${p.containerPort}/${p.protocol}`;
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
