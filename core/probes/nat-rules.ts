import { iptablesBackend } from '../network/iptables';
import { commandOutput } from './command';
import type { Probe } from './probe';

/**
 * The host's nat table, as `iptables -t nat -S` prints it (where Docker's
 * and kit's port publishing lives), and the FORWARD chain of the filter
 * table. Instructors show them before and after `docker run -p`; the lines
 * kit added are the difference. The title says which iptables backend it is.
 */
export const natRules: Probe = {
  wrap: true,
  id: 'nat-rules',
  title: "the host's iptables: nat table and FORWARD chain",
  run: () => {
    const title = `the host's iptables (${backendName()}): iptables -t nat -S; iptables -S FORWARD`;
    const text = [commandOutput(['iptables', '-w', '-t', 'nat', '-S']), '', commandOutput(['iptables', '-w', '-S', 'FORWARD'])].join('\n');
    return { title, text };
  },
};

function backendName(): string {
  try {
    return `${iptablesBackend()} backend`;
  } catch {
    return 'not installed';
  }
}
