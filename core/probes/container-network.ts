import { inNetns } from '../network/endpoint';
import { commandOutput } from './command';
import type { Probe } from './probe';

/** The container's links, addresses and routes, seen from inside its network namespace. */
export const containerNetwork: Probe = {
  id: 'container-network',
  title: 'inside the container: ip addr and ip route',
  run: ({ pid }) => {
    const title = 'inside the container: ip addr and ip route';
    if (!pid) return { probe: 'container-network', title, text: '(no container running)' };
    const text = ['$ ip addr', commandOutput(inNetns(pid, ['ip', 'addr'])), '', '$ ip route', commandOutput(inNetns(pid, ['ip', 'route'])) || '(no routes)'];
    return { probe: 'container-network', title, text: text.join('\n') };
  },
};
