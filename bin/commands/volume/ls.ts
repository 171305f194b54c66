import { kitPaths, listVolumes } from '../../../core';
import { KitCommand } from '../../base';
import { table } from '../../render/table';

export default class VolumeLs extends KitCommand {
  static summary = 'List the named volumes.';
  static examples = ['sudo <%= config.bin %> volume ls'];
  static enableJsonFlag = true;

  async run(): Promise<unknown> {
    await this.parse(VolumeLs); // an unknown flag or argument is refused, as by every command
    const volumes = listVolumes(kitPaths());
    if (!this.jsonEnabled()) this.log(table(['DRIVER', 'VOLUME NAME'], volumes.map((v) => ['local', v.name])));
    return volumes;
  }
}
