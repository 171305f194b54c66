import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * The three files a networked container needs in /etc, as Docker writes
 * them (under /var/lib/docker/containers/<id>/, bind-mounted in):
 * - hostname: the container's name for itself
 * - hosts: localhost, and its own name on its own address
 * - resolv.conf: the host's nameservers, minus loopback ones (a resolver on
 *   the host's 127.0.0.53 is not reachable from the container's netns)
 */
export interface EtcExtras {
  /** --add-host NAME:IP: one more line of /etc/hosts each. */
  extraHosts?: Array<{ name: string; address: string }>;
  /** --dns: these nameservers instead of the host's. */
  dns?: string[];
  /** -h: the container's own hostname (with --network host, in place of the host's). */
  hostname?: string;
}

export function etcFiles(hostname: string, address: string | undefined, extras: EtcExtras = {}): Record<'hostname' | 'hosts' | 'resolv.conf', string> {
  const self = address ? `${address}\t${hostname}\n` : '';
  const added = (extras.extraHosts ?? []).map((h) => `${h.address}\t${h.name}\n`).join('');
  return {
    hostname: `${hostname}\n`,
    hosts: `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${added}${self}`,
    'resolv.conf': extras.dns?.length ? ownResolvConf(extras.dns) : resolvConf(),
  };
}

/**
 * --network host, as Docker writes them: the host's own /etc/hosts (plus
 * --add-host lines) and /etc/resolv.conf (the same network namespace, so
 * its loopback nameservers work; --dns replaces its nameservers), and the
 * host's hostname. Copies in the container's state dir: the host's files
 * are never mounted into it, let alone written.
 */
export function hostNetworkFiles(extras: EtcExtras = {}): Record<'hostname' | 'hosts' | 'resolv.conf', string> {
  const hosts = hostFile('/etc/hosts') || '127.0.0.1\tlocalhost\n';
  const added = (extras.extraHosts ?? []).map((h) => `${h.address}\t${h.name}\n`).join('');
  return {
    hostname: `${extras.hostname ?? hostname()}\n`,
    hosts: `${hosts}${hosts.endsWith('\n') ? '' : '\n'}${added}`,
    'resolv.conf': extras.dns?.length ? ownResolvConf(extras.dns) : hostFile('/etc/resolv.conf'),
  };
}

/** A host file kit copies (at most 1 MiB of it); empty when there is none. */
function hostFile(path: string): string {
  try {
    return readFileSync(path, 'utf8').slice(0, 1 << 20);
  } catch {
    return '';
  }
}

/** docker run --dns: the given nameservers, and the host's search and options lines. */
function ownResolvConf(servers: string[]): string {
  const kept = hostResolvLines().filter((l) => /^(search|options)\s/.test(l));
  return `# written by kit (--dns)\n${[...servers.map((s) => `nameserver ${s}`), ...kept].join('\n')}\n`;
}

function hostResolvLines(): string[] {
  try {
    return readFileSync('/etc/resolv.conf', 'utf8').split('\n');
  } catch {
    return []; // no resolver configured on the host: the container gets none either
  }
}

function resolvConf(): string {
  const lines = hostResolvLines().filter((l) => /^(nameserver|search|options)\s/.test(l));
  const kept = lines.filter((l) => !/^nameserver\s+(127\.|::1)/.test(l));
  const note = kept.length === lines.length ? '' : '# loopback nameservers of the host were left out: the container cannot reach them\n';
  return `# written by kit\n${note}${kept.join('\n')}\n`;
}
