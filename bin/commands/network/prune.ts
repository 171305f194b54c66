import { KitCommand } from '../../base';
import { TraceRecorder, renderTrace } from '../../../core';
import { BRIDGE, pruneHostNetwork, withNetworkLock } from '../../../core/network';

export default class NetworkPrune extends KitCommand {
  static summary = `Remove the ${BRIDGE} bridge and kit's iptables rules, if no kit container uses them.`;
  static description = `kit keeps ${BRIDGE}, the KIT nat chain, its jumps, the MASQUERADE and FORWARD
rules and ip_forward after the last container ends (as Docker keeps docker0). This
removes them, restoring ip_forward's old value, unless a running kit container
still has an address on ${BRIDGE}. veths left by kit processes that died are
deleted first. Rules and links kit did not make are never touched.`;
  static examples = ['sudo <%= config.bin %> network prune', 'sudo <%= config.bin %> network prune --json'];
  static enableJsonFlag = true;

  async run(): Promise<unknown> {
    await this.parse(NetworkPrune);
    const trace = new TraceRecorder();
    const result = withNetworkLock(trace, () => pruneHostNetwork(trace));
    if (!this.jsonEnabled()) {
      this.log(renderTrace(trace.events));
      for (const orphan of [...result.orphanLinks, ...result.orphanRules]) this.log(`deleted ${orphan}: its kit process is gone`);
      this.log(result.removed ? `removed ${BRIDGE} and kit's iptables rules` : `kept ${BRIDGE}: ${result.reason}`);
    }
    return { ...result, trace: trace.events };
  }
}
