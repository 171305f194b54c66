import { readFileSync } from 'node:fs';
import { bridgeExists, bridgeMembers } from '../network/bridge';
import { BRIDGE } from '../network/config';
import { commandOutput } from './command';
import type { Probe } from './probe';

/**
 * kit0 and the links plugged into it, the table `brctl show` prints (read
 * from sysfs, so bridge-utils need not be installed), with the bridge's
 * address from `ip addr`.
 */
export const bridgeLinks: Probe = {
  id: 'bridge-links',
  title: `the ${BRIDGE} bridge and its links (brctl show)`,
  run: () => {
    if (!bridgeExists()) return { text: `(no ${BRIDGE} bridge on this host)` };
    const members = bridgeMembers();
    const id = sysfs('bridge/bridge_id');
    const stp = sysfs('bridge/stp_state') === '0' ? 'no' : 'yes';
    const table = [
      'bridge name\tbridge id\t\tSTP enabled\tinterfaces',
      `${BRIDGE}\t\t${id}\t${stp}\t\t${members[0] ?? ''}`,
      ...members.slice(1).map((m) => `\t\t\t\t\t\t\t${m}`),
    ];
    return { text: [...table, '', commandOutput(['ip', '-br', 'addr', 'show', 'dev', BRIDGE])].join('\n') };
  },
};

function sysfs(file: string): string {
  try {
    return readFileSync(`/sys/class/net/${BRIDGE}/${file}`, 'utf8').trim();
  } catch {
    return '?';
  }
}
