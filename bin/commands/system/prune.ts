import { Flags } from '@oclif/core';
import { kitPaths, systemPrune } from '../../../core';
import { KitCommand } from '../../base';

export default class SystemPrune extends KitCommand {
  static summary = 'Remove stopped containers and, if no container uses it, kit0; with -a unused images, with --volumes unused volumes.';
  static description = `Like docker system prune: every container that is not running (as kit container prune), then kit0 and kit's iptables rules unless a running container uses them (as kit network prune). -a also removes every image no container uses (kit's images all have names: there are no dangling ones to remove without it); --volumes every volume no container names. It asks nothing (docker asks unless -f): -f is accepted for scripts written for Docker.`;
  static examples = ['sudo <%= config.bin %> system prune', 'sudo <%= config.bin %> system prune -a --volumes'];
  static enableJsonFlag = true;
  static flags = {
    all: Flags.boolean({ char: 'a', default: false, description: 'also remove every image no container uses (docker system prune -a)' }),
    volumes: Flags.boolean({ default: false, description: 'also remove every volume no container names' }),
    force: Flags.boolean({ char: 'f', default: false, description: 'accepted, as in docker system prune -f (kit does not ask)' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(SystemPrune);
    const result = await systemPrune(kitPaths(), { all: flags.all, volumes: flags.volumes });
    if (!this.jsonEnabled()) {
      for (const id of result.containers) this.log(`deleted container ${id}`);
      for (const name of result.images) this.log(`deleted image ${name}`);
      for (const name of result.volumes) this.log(`deleted volume ${name}`);
      this.log(result.network.removed ? 'removed kit0 and kit\'s iptables rules' : `kept the network: ${result.network.reason}`);
    }
    return result;
  }
}
