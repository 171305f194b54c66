import { Flags } from '@oclif/core';
import { allContainers, kitPaths, removeContainer } from '../../../core';
import { KitCommand } from '../../base';

export default class ContainerPrune extends KitCommand {
  static summary = 'Remove every container that is not running: their records, logs and layers.';
  static description = `Like docker container prune: each exited (or never started) container kept after its run is removed, as kit rm does; running ones are left alone. It asks nothing (docker asks unless -f): -f is accepted for scripts written for Docker.`;
  static examples = ['sudo <%= config.bin %> container prune'];
  static enableJsonFlag = true;
  static flags = { force: Flags.boolean({ char: 'f', default: false, description: 'accepted, as in docker container prune -f (kit does not ask)' }) };

  async run(): Promise<unknown> {
    await this.parse(ContainerPrune);
    const paths = kitPaths();
    const removed: string[] = [];
    for (const c of allContainers(paths).filter((c) => !c.running && c.record)) removed.push(await removeContainer(paths, c.id, false));
    if (!this.jsonEnabled()) {
      for (const id of removed) this.log(id);
      this.log(`removed ${removed.length} stopped container(s)`);
    }
    return { removed };
  }
}
