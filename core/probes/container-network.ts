import { inNetns } from '../network/endpoint';
import { commandOutput } from './command';
import type { Probe } from './probe';

/** The container's links, addresses and routes, seen from inside its network namespace. */
export const containerNetwork: Probe = {
  id: 'container-network',
  title: 'inside the container: ip addr and ip route',
  run: ({ pid }) => {
    if (!pid) return { text: '(no container running)' };
    const text = ['$ ip addr', commandOutput(inNetns(pid, ['ip', 'addr'])), '', '$ ip route', commandOutput(inNetns(pid, ['ip', 'route'])) || '(no routes)'];
    return { text: text.join('\n') };
  },
};
