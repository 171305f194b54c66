import { registerUndo } from '../host/undo';
import { deleteChain, deleteRule, deleteRules } from './iptables';
import { deleteLink } from './endpoint';
import { releaseAddress } from './ipam';
import { sysctlPath } from './sysctl';

/**
 * How the network's host changes are undone: links, iptables rules and
 * chains, sysctls, address leases. ('network-release' is registered by
 * host-network.ts, which owns the shared network.)
 */
const ENOENT = -2;

registerUndo('link-delete', (record, trace) => deleteLink(trace, 'undo: delete the link kit created', record.name));
registerUndo('iptables-delete', (record, trace) => deleteRule(trace, record));
registerUndo('iptables-delete-rules', (record, trace) => deleteRules(trace, record.table, record.rules));
registerUndo('iptables-chain-delete', (record, trace) => deleteChain(trace, record.table, record.chain));
registerUndo('sysctl', (record, trace) => {
  const ret = trace.host(`undo: restore ${record.key} to its old value`, (n) => n.writeFile(sysctlPath(record.key), record.value));
  return ret < 0 && ret !== ENOENT ? `could not restore ${record.key} (errno ${-ret})` : undefined;
});
registerUndo('lease-release', (record) => releaseAddress(record.path, record.id));
