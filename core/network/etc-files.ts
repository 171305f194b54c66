import { readFileSync } from 'node:fs';

/**
 * The three files a networked container needs in /etc, as Docker writes
 * them (under /var/lib/docker/containers/<id>/, bind-mounted in):
 * - hostname: the container's name for itself
 * - hosts: localhost, and its own name on its own address
 * - resolv.conf: the host's nameservers, minus loopback ones (a resolver on
 *   the host's 127.0.0.53 is not reachable from the container's netns)
 */
export function etcFiles(hostname: string, address: string | undefined): Record<'hostname' | 'hosts' | 'resolv.conf', string> {
  const self = address ? `${address}\t${hostname}\n` : '';
  return {
    hostname: `${hostname}\n`,
    hosts: `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${self}`,
    'resolv.conf': resolvConf(),
  };
}

function resolvConf(): string {
  let host = '';
  try {
    host = readFileSync('/etc/resolv.conf', 'utf8');
  } catch {
    // no resolver configured on the host: the container gets none either
  }
  const lines = host.split('\n').filter((l) => /^(nameserver|search|options)\s/.test(l));
  const kept = lines.filter((l) => !/^nameserver\s+(127\.|::1)/.test(l));
  const note = kept.length === lines.length ? '' : '# loopback nameservers of the host were left out: the container cannot reach them\n';
  return `# written by kit\n${note}${kept.join('\n')}\n`;
}
