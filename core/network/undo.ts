import { runCommand } from '../host/command';
import { registerUndo } from '../host/undo';
import { deleteChain, deleteRule } from './iptables';
import { releaseAddress } from './ipam';
import { sysctlPath } from './sysctl';

/**
 * How the network's host changes are undone: links, iptables rules and
 * chains, sysctls, address leases. ('network-release' is registered by
 * host-network.ts, which owns the shared network.)
 */
const ENOENT = -2;

registerUndo('link-delete', (record, trace) => {
  const r = runCommand(trace, 'undo: delete the link kit created', ['ip', 'link', 'delete', record.name], { no: 'already gone (a veth goes with the namespace its other end was in)', when: /Cannot find device/ });
  return r.status === 0 || /Cannot find device/.test(r.stderr) ? undefined : `could not delete link ${record.name}: ${r.stderr.trim()}`;
});
registerUndo('iptables-delete', (record, trace) => deleteRule(trace, record));
registerUndo('iptables-chain-delete', (record, trace) => deleteChain(trace, record.table, record.chain));
registerUndo('sysctl', (record, trace) => {
  const ret = trace.host(`undo: restore ${record.key} to its old value`, (n) => n.writeFile(sysctlPath(record.key), record.value));
  return ret < 0 && ret !== ENOENT ? `could not restore ${record.key} (errno ${-ret})` : undefined;
});
registerUndo('lease-release', (record) => releaseAddress(record.path, record.id));
