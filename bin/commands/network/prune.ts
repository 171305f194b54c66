import { KitCommand } from '../../base';
import { outputWidth } from '../../flags/view';
import { BRIDGE, pruneHostNetwork, renderTrace, TraceRecorder, withNetworkLock, wrapHanging } from '../../../core';

export default class NetworkPrune extends KitCommand {
  static summary = `Remove the ${BRIDGE} bridge and kit's iptables rules, if no kit container uses them.`;
  static description = [
    `The last kit container to leave ${BRIDGE} removes it, with the KIT nat chain, its jumps, the MASQUERADE and FORWARD rules, and restores ip_forward.`,
    'A kit process killed with -9 cannot: its veth and DNAT rule stay until kit runs again with its kit root.',
    `This clears them now (veths and DNAT rules whose kit process is gone), then removes ${BRIDGE} and the shared rules unless a running kit container still has an address on it.`,
    'Rules and links kit did not make are never touched.',
  ].join(' ');
  static examples = ['sudo <%= config.bin %> network prune', 'sudo <%= config.bin %> network prune --json'];
  static enableJsonFlag = true;

  async run(): Promise<unknown> {
    await this.parse(NetworkPrune);
    const trace = new TraceRecorder();
    const result = withNetworkLock(trace, () => pruneHostNetwork(trace));
    if (!this.jsonEnabled()) {
      const width = outputWidth(undefined);
      this.log(renderTrace(trace.events, { width }));
      const said = [...[...result.orphanLinks, ...result.orphanRules].map((orphan) => `deleted ${orphan}: its kit process is gone`), result.removed ? `removed ${BRIDGE} and kit's iptables rules` : `nothing removed: ${result.reason}`];
      this.log(said.flatMap((line) => wrapHanging(line, width)).join('\n'));
    }
    return { ...result, trace: trace.events };
  }
}
