import { kitPaths, listContainers } from '../../core';
import { KitCommand } from '../base';
import { renderPs } from '../render/ps';

export default class PsCommand extends KitCommand {
  static summary = 'List the running containers.';
  static description = `Like docker ps: id, command, age, status, the container's PID on the host and its name. A container is listed from the moment kit starts setting it up until its host changes are undone; kit keeps no exited containers. --json adds each container's state directory and the pid of its owner (the shim of a detached one).`;
  static examples = ['sudo <%= config.bin %> ps', 'sudo <%= config.bin %> ps --json'];
  static enableJsonFlag = true;

  async run(): Promise<unknown> {
    await this.parse(PsCommand);
    const containers = listContainers(kitPaths());
    if (!this.jsonEnabled()) this.log(renderPs(containers));
    return containers;
  }
}
