import { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { NAT_CHAIN } from '../network/config';
import { containerAddress } from '../network/endpoint';
import { hasProgram } from '../support';
import { commandOutput } from './command';
import type { Probe } from './probe';

/**
 * Talk to the running container the way a user would: ping its address from
 * the host (through kit0), then connect to each of its published tcp ports
 * on 127.0.0.1 (through the DNAT rule) and show what answers. Traffic goes
 * only to this container and to loopback.
 */
export const reachContainer: Probe = {
  id: 'reach-container',
  title: 'the host talks to the container',
  run: async ({ pid, ended }) => {
    const address = pid ? containerAddress(pid) : undefined;
    if (!pid || !address) return { text: '(no container with an address on kit0 is running)' };
    const lines = [`$ ${pingCommand(address).join(' ')}`, commandOutput(pingCommand(address))];
    for (const port of publishedTcpPorts(address)) {
      lines.push('', `$ printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc 127.0.0.1 ${port}`, await exchange(port, ended));
    }
    return { title: `${reachContainer.title} (${address})`, text: lines.join('\n') };
  },
};

function pingCommand(address: string): string[] {
  const ping = hasProgram('ping') ? ['ping'] : ['busybox', 'ping'];
  return [...ping, '-c', '1', '-W', '2', address];
}

/** Host ports whose DNAT rule in the KIT chain leads to this address. */
function publishedTcpPorts(address: string): number[] {
  const rules = commandOutput(['iptables', '-w', '-t', 'nat', '-S', NAT_CHAIN]).split('\n');
  return rules.filter((r) => r.includes(' -p tcp ') && r.includes(`--to-destination ${address}:`)).map((r) => Number(/--dport (\d+)/.exec(r)?.[1])).filter((p) => p > 0);
}

/**
 * Connect to 127.0.0.1:port, send a request, return the answer; retried
 * while the server inside starts, given up as soon as the container ends
 * (a `-- COMMAND` that serves nothing).
 */
async function exchange(port: number, ended?: AbortSignal): Promise<string> {
  let last = '';
  for (let attempt = 0; attempt < 25; attempt++) {
    if (ended?.aborted) return `(no answer: the container ended before anything answered on port ${port})`;
    try {
      return await requestOnce(port, ended);
    } catch (err) {
      last = (err as Error).message;
      await sleep(200);
    }
  }
  return `(no answer: ${last})`;
}

function requestOnce(port: number, ended?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const chunks: Buffer[] = [];
    const onEnded = () => socket.destroy(new Error('the container ended'));
    ended?.addEventListener('abort', onEnded, { once: true });
    socket.on('close', () => ended?.removeEventListener('abort', onEnded));
    socket.setTimeout(3000, () => socket.destroy(new Error('timed out')));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => (chunks.length ? resolve(Buffer.concat(chunks).toString('utf8').trimEnd()) : reject(new Error('closed without an answer'))));
    socket.connect(port, '127.0.0.1', () => socket.end('GET / HTTP/1.0\r\n\r\n'));
  });
}
